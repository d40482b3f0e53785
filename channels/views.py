"""The registration wizard and the owner's pages. Views translate HTTP; the rules live in
`channels.services` / `channels.selectors` (and `approvals.services` for submission)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from approvals.services import channel_submit as submit_service
from channels.forms import STEPS, STEPS_BY_SLUG, OpenForm, PeopleStepForm, PlatformStepForm
from channels.models import Channel, Platform
from channels.selectors import (
    channel_next_action,
    channels_for_owner_page,
    channels_visible_to,
    user_can_edit_channel,
)
from channels.services import (
    channel_create_draft,
    channel_mark_opened,
    channel_missing_fields,
    channel_set_people,
    channel_update,
)

# --- helpers ---------------------------------------------------------------------------------


def _visible_channel_or_404(user, pk: int) -> Channel:
    """The channel if the user may see it; 404 otherwise, so outsiders learn nothing."""
    return get_object_or_404(
        channels_visible_to(user).select_related(
            "platform", "responsible", "sender_unit", "responsible_unit", "created_by"
        ),
        pk=pk,
    )


def _editable_channel(request, pk: int) -> Channel | None:
    """The channel if the user may edit it now; None after queueing a message saying why not."""
    channel = _visible_channel_or_404(request.user, pk)
    if not user_can_edit_channel(user=request.user, channel=channel):
        raise PermissionDenied(_("Only the responsible person and the deputies edit a channel."))
    if not channel.is_editable:
        messages.info(
            request,
            _("The registration cannot be edited while it is “%(state)s”.")
            % {"state": channel.get_state_display()},
        )
        return None
    return channel


def _add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


def _step_nav(channel: Channel | None, current: str) -> list[dict]:
    missing = channel_missing_fields(channel) if channel else {}
    nav = []
    for step in STEPS:
        complete = bool(channel) and step.slug != "review" and step.slug not in missing
        nav.append({"step": step, "current": step.slug == current, "done": complete})
    return nav


def _neighbours(slug: str) -> tuple[str | None, str | None]:
    slugs = [s.slug for s in STEPS]
    i = slugs.index(slug)
    return (slugs[i - 1] if i else None, slugs[i + 1] if i + 1 < len(slugs) else None)


def _render_step(request, *, channel, step, form=None, status=200):
    context = {
        "channel": channel,
        "step": step,
        "steps": _step_nav(channel, step.slug),
        "step_number": STEPS.index(step) + 1,
        "step_count": len(STEPS),
        "form": form,
        "platforms": Platform.objects.filter(is_active=True),
    }
    if step.slug == "review":
        context["missing"] = [
            (STEPS_BY_SLUG[slug], names) for slug, names in channel_missing_fields(channel).items()
        ]
    templates = [f"channels/step_{step.slug}.html", "channels/step.html"]
    return render(request, templates, context, status=status)


def _after_save(request, channel: Channel, slug: str):
    """Where the pressed button leads once the step is stored."""
    action = request.POST.get("action", "next")
    previous, following = _neighbours(slug)
    if action == "later":
        messages.success(
            request,
            _("“%(name)s” is saved. Continue whenever you like from My channels.")
            % {"name": channel.name},
        )
        return redirect("channels:my_channels")
    if action == "back" and previous:
        return redirect("channels:step", pk=channel.pk, step=previous)
    return redirect("channels:step", pk=channel.pk, step=following or slug)


@transaction.atomic
def _save_step(form, *, channel: Channel, slug: str, user) -> None:
    if slug == "people":
        channel_set_people(
            channel=channel,
            edited_by=user,
            responsible=form.responsible_user,
            responsible_phone=form.cleaned_data["responsible_phone"],
            deputies=form.deputy_list,
        )
        data = {k: v for k, v in form.channel_data().items() if k != "responsible_phone"}
    else:
        data = form.channel_data()
    channel_update(channel=channel, edited_by=user, data=data)


# --- the wizard ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def channel_new(request):
    """Step 1 before the draft exists; a valid POST creates it and moves on to step 2."""
    step = STEPS_BY_SLUG["platform"]
    if request.method == "POST":
        form = PlatformStepForm(request.POST, instance=Channel())
        if form.is_valid():
            channel = channel_create_draft(created_by=request.user, **form.channel_data())
            return _after_save(request, channel, step.slug)
        return _render_step(request, channel=None, step=step, form=form)
    return _render_step(request, channel=None, step=step, form=PlatformStepForm())


@login_required
@require_http_methods(["GET", "POST"])
def channel_step(request, pk: int, step: str):
    if step not in STEPS_BY_SLUG:
        raise Http404
    channel = _editable_channel(request, pk)
    if channel is None:
        return redirect("channels:detail", pk=pk)
    wizard_step = STEPS_BY_SLUG[step]
    if wizard_step.form_class is None:  # the review step has no form of its own
        return _render_step(request, channel=channel, step=wizard_step)

    kwargs = {"editor": request.user} if wizard_step.form_class is PeopleStepForm else {}
    # The form gets its own copy of the channel: validating a ModelForm writes the input onto
    # its instance, and channel_update must still see the stored values to audit the changes.
    form_copy = Channel.objects.get(pk=channel.pk)
    if request.method == "GET":
        form = wizard_step.form_class(instance=form_copy, **kwargs)
        return _render_step(request, channel=channel, step=wizard_step, form=form)

    form = wizard_step.form_class(request.POST, instance=form_copy, **kwargs)
    if form.is_valid():
        try:
            _save_step(form, channel=channel, slug=step, user=request.user)
        except ValidationError as error:
            channel.refresh_from_db()
            _add_service_errors(form, error)
        else:
            return _after_save(request, channel, step)
    elif request.POST.get("action") == "back":
        # Going back with invalid input: keep what is stored, say that this step's input was not.
        previous, _following = _neighbours(step)
        messages.warning(
            request,
            _("Your changes on “%(step)s” were not saved because they had errors.")
            % {"step": wizard_step.title},
        )
        return redirect("channels:step", pk=channel.pk, step=previous or step)
    return _render_step(request, channel=channel, step=wizard_step, form=form)


@login_required
@require_POST
def channel_submit(request, pk: int):
    channel = _editable_channel(request, pk)
    if channel is None:
        return redirect("channels:detail", pk=pk)
    try:
        submit_service(channel=channel, submitted_by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("channels:step", pk=pk, step="review")
    channel.refresh_from_db()
    if channel.state == Channel.State.AWAITING_PREFECT:
        messages.success(
            request,
            _(
                "Submitted. %(name)s, head of department, has been e-mailed a link to approve "
                "the channel."
            )
            % {"name": channel.prefect_name},
        )
    else:
        messages.success(
            request, _("Submitted. The head of department's approval stands; Komm has been told.")
        )
    return redirect(channel)


# --- the owner's pages -----------------------------------------------------------------------


def _detail_context(request, channel: Channel, open_form: OpenForm | None = None) -> dict:
    can_edit = user_can_edit_channel(user=request.user, channel=channel)
    if open_form is None and can_edit and channel.state == Channel.State.APPROVED:
        open_form = OpenForm(channel=channel)
    return {
        "channel": channel,
        "next_action": channel_next_action(channel),
        "can_edit": can_edit,
        "open_form": open_form,
        "deputyships": channel.deputyships.select_related("user"),
        "signoffs": channel.signoffs.all(),
        "reviews": channel.reviews.select_related("reviewer"),
        "audit_entries": channel.audit_entries.all(),
        "steps": STEPS,
    }


@login_required
@require_http_methods(["GET"])
def channel_detail(request, pk: int):
    channel = _visible_channel_or_404(request.user, pk)
    return render(request, "channels/detail.html", _detail_context(request, channel))


@login_required
@require_POST
def channel_open(request, pk: int):
    channel = _visible_channel_or_404(request.user, pk)
    if not user_can_edit_channel(user=request.user, channel=channel):
        raise PermissionDenied(_("Only the responsible person and the deputies open a channel."))
    if channel.state != Channel.State.APPROVED:
        messages.error(request, _("Only a channel that Komm has approved can be marked as opened."))
        return redirect(channel)
    form = OpenForm(request.POST, channel=channel)
    if form.is_valid():
        try:
            channel_mark_opened(
                channel=channel, opened_by=request.user, address=form.cleaned_data.get("address")
            )
        except ValidationError as error:
            channel.refresh_from_db()
            _add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” is now active.") % {"name": channel.name})
            return redirect(channel)
    context = _detail_context(request, channel, open_form=form)
    return render(request, "channels/detail.html", context, status=400)


@login_required
@require_http_methods(["GET"])
def my_channels(request):
    page = Paginator(channels_for_owner_page(request.user), 20).get_page(request.GET.get("page"))
    rows = [
        {
            "channel": channel,
            "next_action": channel_next_action(channel),
            "role": _role(request.user, channel),
        }
        for channel in page
    ]
    return render(request, "channels/my_channels.html", {"page_obj": page, "rows": rows})


def _role(user, channel: Channel) -> str:
    if channel.responsible_id == user.pk:
        return "responsible"
    if any(d.user_id == user.pk for d in channel.deputyships.all()):
        return "deputy"
    return "creator"

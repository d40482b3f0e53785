"""The registration wizard: one page per step, the draft saved in the database at each step.

Views translate HTTP; the rules live in `channels.services`. Sending the finished registration
on is the sign-off workflow's (approvals.signoff), shown on the review step through a hook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from channels.access import visible_channel_or_404
from channels.models import Channel, Platform
from channels.selectors import user_is_channel_person
from channels.services import (
    channel_create_draft,
    channel_missing_fields,
    channel_set_people,
    channel_update,
)
from channels.wizard.forms import (
    STEPS,
    STEPS_BY_SLUG,
    PeopleStepForm,
    PlatformStepForm,
    Step,
    StepForm,
)
from core.forms import add_service_errors, summary_errors


def _editable_channel(request, pk: int) -> Channel | None:
    """The channel if the user may edit it now; None after queueing a message saying why not."""
    channel = visible_channel_or_404(request.user, pk)
    if not user_is_channel_person(user=request.user, channel=channel):
        raise PermissionDenied(_("Only the responsible person and the deputies edit a channel."))
    if not channel.is_editable:
        messages.info(
            request,
            _("The registration cannot be edited while it is “%(state)s”.")
            % {"state": channel.get_state_display()},
        )
        return None
    return channel


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
    platforms = list(Platform.objects.filter(is_active=True))
    context = {
        "channel": channel,
        "step": step,
        "steps": _step_nav(channel, step.slug),
        "step_number": STEPS.index(step) + 1,
        "step_count": len(STEPS),
        "form": form,
        "platforms": platforms,
        # Platforms Komm runs, where staff send content instead (channels.services).
        "komm_platforms": [platform for platform in platforms if platform.managed_by_komm],
    }
    if step.slug == "review":
        context["submit_errors"] = summary_errors(request)
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
    wizard_step = STEPS_BY_SLUG.get(step)
    if wizard_step is None:
        raise Http404
    channel = _editable_channel(request, pk)
    if channel is None:
        return redirect("channels:detail", pk=pk)
    if wizard_step.form_class is None:  # the review step has no form of its own
        return _render_step(request, channel=channel, step=wizard_step)

    form = _step_form(request, channel=channel, step=wizard_step)
    if request.method == "GET":
        return _render_step(request, channel=channel, step=wizard_step, form=form)
    if form.is_valid():
        try:
            _save_step(form, channel=channel, slug=step, user=request.user)
        except ValidationError as error:
            channel.refresh_from_db()
            add_service_errors(form, error)
        else:
            return _after_save(request, channel, step)
    elif request.POST.get("action") == "back":
        return _back_despite_errors(request, channel=channel, step=wizard_step)
    return _render_step(request, channel=channel, step=wizard_step, form=form)


def _step_form(request, *, channel: Channel, step: Step) -> StepForm:
    """The step's form, bound to the input on POST."""
    kwargs = {"editor": request.user} if step.form_class is PeopleStepForm else {}
    # The form gets its own copy of the channel: validating a ModelForm writes the input onto
    # its instance, and channel_update must still see the stored values to audit the changes.
    form_copy = Channel.objects.get(pk=channel.pk)
    data = request.POST if request.method == "POST" else None
    assert step.form_class is not None  # the review step, the only one without, has no form
    return step.form_class(data, instance=form_copy, **kwargs)


def _back_despite_errors(request, *, channel: Channel, step: Step):
    """Going back with invalid input: keep what is stored, say that this step's input was not."""
    previous, _following = _neighbours(step.slug)
    messages.warning(
        request,
        _("Your changes on “%(step)s” were not saved because they had errors.")
        % {"step": step.title},
    )
    return redirect("channels:step", pk=channel.pk, step=previous or step.slug)

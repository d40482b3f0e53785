"""The register's filters: the directory's, plus the state and the sort order."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from channels.models import Channel
from channels.public.forms import DirectoryFilterForm
from channels.register.selectors import SORTS

IMPORT_MAX_BYTES = 2 * 1024 * 1024


class RegisterFilterForm(DirectoryFilterForm):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *Channel.State.choices], required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("name", _("Name")),
            ("platform", _("Platform")),
            ("state", _("State")),
            ("unit", _("Responsible unit")),
            ("-updated", _("Latest change first")),
        ],
        required=False,
    )

    def filters(self) -> dict:
        found = super().filters()
        if found.get("sort") and found["sort"].lstrip("-") not in SORTS:
            found.pop("sort")
        return found


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("The spreadsheet, saved as CSV"),
        help_text=_(
            "UTF-8, or Excel's Swedish CSV with semicolons. The columns are described on this page."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

"""The upload form: which source the file is from, and the file (size and content checked)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from sia.sources import REGISTRY

from webapp.govuk import widgets
from webapp.loads.checks import ContentError, content_kind


class FileInput(forms.ClearableFileInput):
    """The GOV.UK file upload (``govuk/components/file.html``)."""

    component = "file"

    def __init__(self, accept: str = ""):
        super().__init__(attrs={"class": "govuk-file-upload", "accept": accept})


def source_choices() -> list[tuple[str, str]]:
    """Every source ``sia ingest`` knows, with what its files are."""
    return [(e.name, f"{e.help.rstrip('.')} ({e.name})") for e in REGISTRY.values()]


def _megabytes(n: int) -> str:
    """A size as people read it: 50 MB, 512 KB, 100 bytes."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label="Which partner's data is it?",
        error_messages={
            "required": "Select where the file comes from",
            "invalid_choice": "Select where the file comes from",
        },
    )
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "Select a file",
        },
        widget=FileInput(
            accept=".csv,.xlsx,text/csv,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The upload handler refused the file for its size (it is not in FILES at all).
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False
        choices = source_choices()
        self.fields["source"].choices = choices
        self.fields["source"].widget = widgets.Radios(choices, small=True)
        limit = _megabytes(settings.SIA_UPLOAD_MAX_BYTES)
        self.fields["file"].help_text = (
            f"A CSV file or an Excel workbook (.xlsx), smaller than {limit}. It is loaded "
            "as sia ingest would load it: every row is loaded, skipped or rejected with "
            "the reason."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SIA_UPLOAD_MAX_BYTES
        if self.too_large or upload.size > limit:
            raise forms.ValidationError(
                f"The selected file must be smaller than {_megabytes(limit)}", code="size"
            )
        try:
            self.content_kind = content_kind(upload)
        except ContentError as exc:
            raise forms.ValidationError(str(exc), code="content") from exc
        return upload

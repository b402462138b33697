"""An upload handler that stops keeping a file once it is larger than the upload limit.

Django hands an uploaded file to its upload handlers chunk by chunk (64 KB) while it parses
the request, before any view or form sees it. This handler comes first: it passes each chunk
on to Django's own handlers (memory, then a temporary file) until the file passes
``SIA_UPLOAD_MAX_BYTES``, then tells Django to skip the rest of that file. The rest of the
request is read and thrown away, never kept, so a file of any size costs no more memory or
disk than the limit. The form learns which field was refused from
:func:`refused_fields` and says how large a file may be.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

#: The request attribute that names the fields whose file was refused for its size.
REFUSED_ATTRIBUTE = "sia_uploads_too_large"


class SizeLimitedUploadHandler(FileUploadHandler):
    """Skips an uploaded file once it passes ``settings.SIA_UPLOAD_MAX_BYTES``."""

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.limit = settings.SIA_UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                refused = getattr(self.request, REFUSED_ATTRIBUTE, set())
                refused.add(self.field_name)
                setattr(self.request, REFUSED_ATTRIBUTE, refused)
            raise SkipFile(f"{self.file_name} is larger than {self.limit} bytes")
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler makes the file


def refused_fields(request) -> frozenset[str]:
    """The fields of ``request`` whose file :class:`SizeLimitedUploadHandler` refused.

    Read it after ``request.POST`` or ``request.FILES`` has been parsed (a form view's
    ``get_form_kwargs`` has done so).
    """
    return frozenset(getattr(request, REFUSED_ATTRIBUTE, ()))

"""What an uploaded file is, from its bytes: CSV text or an Excel workbook, nothing else.

The name's ending must agree with the content, and the content decides: a ZIP that is not
a workbook, a workbook with macros, JSON, a PDF, an image or any binary file is refused
with the reason, before anything is stored.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from sia.sources.base import MAGIC

#: The endings accepted, by the content they must have.
ENDINGS = {"csv": ".csv", "xlsx": ".xlsx"}
HEAD_BYTES = 64 * 1024


class ContentError(ValueError):
    """The file is not what sia can load; the message says what it is instead."""


def content_kind(upload: UploadedFile) -> str:
    """``csv`` or ``xlsx``, from the file's bytes (and its name's ending agreeing)."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    ending = Path(upload.name or "").suffix.lower()
    if not head:
        raise ContentError("The selected file is empty")
    if head.startswith(b"PK\x03\x04"):
        _check_workbook(upload)
        kind = "xlsx"
    else:
        _check_text(head, complete=upload.size <= HEAD_BYTES)
        kind = "csv"
    if ending != ENDINGS[kind]:
        said = f"named {ending or 'without an ending'}"
        what = "an Excel workbook" if kind == "xlsx" else "CSV text"
        raise ContentError(
            f"The selected file is {said} but it is {what}: give it the ending "
            f"{ENDINGS[kind]}, or choose the right file"
        )
    return kind


def _check_workbook(upload: UploadedFile) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ContentError("The selected file is a damaged ZIP archive") from exc
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ContentError(
            "The selected file is a ZIP archive, not an Excel workbook (.xlsx): "
            "save it from Excel as a workbook or as CSV"
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ContentError(
            "The selected workbook contains macros: save it as an .xlsx workbook without "
            "macros, or as CSV"
        )


def _check_text(head: bytes, complete: bool) -> None:
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            raise ContentError(f"The selected file must be CSV or Excel: it is {what}")
    if b"\x00" in head:
        raise ContentError("The selected file must be CSV or Excel: it contains binary data")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # the first 64 KB may end inside a character; anything earlier is not UTF-8
        if complete or exc.start < len(head) - 3:
            raise ContentError(
                "The selected file must be CSV text in UTF-8: save it from Excel as 'CSV UTF-8'"
            ) from exc
        text = head[: exc.start].decode("utf-8-sig")
    if text.lstrip()[:1] in ("{", "["):
        raise ContentError("The selected file is JSON: sia loads CSV files and Excel workbooks")
    if text.lstrip()[:1] == "<":
        raise ContentError("The selected file is a web page or XML: it must be CSV or Excel")


def safe_name(original: str, kind: str) -> str:
    """A name to keep the file under: letters, digits and dashes of the original's stem,
    with the ending of its content."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(original).stem).strip("-").lower()[:80]
    return f"{stem or 'upload'}{ENDINGS[kind]}"


def store(upload: UploadedFile, target: Path) -> str:
    """Write the file to ``target`` (a new file, readable by the app only); its SHA-256."""
    import os

    target.parent.mkdir(parents=True, exist_ok=False, mode=0o700)
    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()

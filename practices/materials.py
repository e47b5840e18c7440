"""The mentor's case: files checked before anything is stored, links checked as links.

Files go through Django's storage API (the `default` storage: the file system, or S3 when
configured — config/settings.py), under a name of ours: a person's file name may carry anything.
"""

import os
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from config.errors import Invalid

# Extension → (offset, what the file starts with there). The content must agree with the name:
# a renamed executable or an HTML page is refused as a wrong type.
OFFICE_ZIP = (0, b"PK\x03\x04")
OFFICE_OLE = (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
ALLOWED_TYPES = {
    ".pdf": (0, b"%PDF-"),
    ".jpg": (0, b"\xff\xd8\xff"),
    ".jpeg": (0, b"\xff\xd8\xff"),
    ".png": (0, b"\x89PNG\r\n\x1a\n"),
    ".docx": OFFICE_ZIP, ".xlsx": OFFICE_ZIP, ".pptx": OFFICE_ZIP,
    ".odt": OFFICE_ZIP, ".ods": OFFICE_ZIP, ".odp": OFFICE_ZIP,
    ".doc": OFFICE_OLE, ".xls": OFFICE_OLE, ".ppt": OFFICE_OLE,
    ".mp4": (4, b"ftyp"),
    ".webm": (0, b"\x1a\x45\xdf\xa3"),
}
ALLOWED_TEXT = "PDF, DOC, DOCX, XLS, XLSX, PPT, PPTX, ODT, ODS, ODP, JPG, PNG, MP4, WEBM"
# Shown in the browser; everything else is downloaded.
INLINE_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".png": "image/png", ".mp4": "video/mp4", ".webm": "video/webm"}
MAX_MATERIALS = 30


def max_bytes():
    return settings.PRACTICE_MATERIAL_MAX_MB * 2**20


def extension_of(name):
    return os.path.splitext(name or "")[1].lower()


def check_upload(upload):
    """Refuse a file that is too large or not one of the allowed types, before storing it."""
    if not isinstance(upload, UploadedFile):
        raise Invalid(_("Файл не передан."), details={"field": "file"})
    if upload.size > max_bytes():
        raise Invalid(_("Файл «%(name)s» больше %(limit)s МБ: такой файл не принимается.")
                      % {"name": upload.name, "limit": settings.PRACTICE_MATERIAL_MAX_MB},
                      code="file_too_large", details={"field": "file"})
    if upload.size == 0:
        raise Invalid(_("Файл «%(name)s» пустой.") % {"name": upload.name},
                      details={"field": "file"})
    extension = extension_of(upload.name)
    signature = ALLOWED_TYPES.get(extension)
    if signature is None:
        raise Invalid(_("Файлы такого типа не принимаются. Допускаются: %(types)s.")
                      % {"types": ALLOWED_TEXT}, code="file_type_refused",
                      details={"field": "file"})
    offset, starts = signature
    upload.seek(0)
    head = upload.read(offset + len(starts))
    upload.seek(0)
    if head[offset:] != starts:
        raise Invalid(_("Содержимое файла не соответствует расширению %(ext)s: такой файл не "
                        "принимается.") % {"ext": extension}, code="file_type_refused",
                      details={"field": "file"})
    return extension


def check_link(value):
    url = (value or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise Invalid(_("Ссылка записана с ошибкой: нужен адрес, начинающийся с http:// или "
                        "https://."), details={"field": "url"}) from exc
    if len(url) > 500:
        raise Invalid(_("Ссылка длиннее 500 символов."), details={"field": "url"})
    return url


def stored_name(practice, extension):
    return f"p{practice.pk}-{secrets.token_hex(8)}{extension}"

"""Documents attached to a case file: checked, stripped of what they carry besides their content,
encrypted.

A document reaches a child's file only as a fresh copy made by Vigie from the decoded content:
an image is re-encoded from its pixels, a PDF rebuilt from its pages. Nothing of the upload is
trusted: not its name, not the browser's content type, not what the file says it is. What the
copy leaves behind is what would betray the child or the worker: the GPS position and the phone
model in a photo's EXIF, the author and software in a PDF's information dictionary and XMP, and
any active content (JavaScript, launch actions, embedded files).

Accepted: PDF, JPEG and PNG, the formats scans, phones and administrations produce. Not accepted:
HEIC (needs libheif, an extra native parser for untrusted input; iPhones send JPEG to a web form
that does not list HEIC), WebP (rare for documents; libwebp's 2023 overflow, CVE-2023-4863, is a
reminder that each format is one more parser exposed), and everything else.
"""

import re
import unicodedata
from dataclasses import dataclass
from io import BytesIO
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.types import AnnotationSubtype

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.core.crypto import encrypt_bytes

from ..models import Case, CaseDocument, DocumentKind
from .opening import _require, _require_owner

# Larger than a 600 dpi A4 scan (35 Mpx) or a 48 Mpx phone photo; each megapixel costs 3-4 MB of
# memory while decoding, so a bigger image is refused before its pixels are decoded.
MAX_IMAGE_PIXELS = 50_000_000
MAX_FILENAME_LENGTH = 120

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))

# Removed wherever they appear in what a page carries (its annotations, images, forms, fonts):
# metadata streams, application data, and every action (links and scripts alike: a case file's
# documents are read, not interacted with). The document catalogue (its /Info, XMP, JavaScript
# name tree, embedded files, open action, forms) is not copied at all.
_PDF_KEYS_DROPPED = ("/Metadata", "/PieceInfo", "/AA", "/A", "/JS", "/OpenAction", "/EF")
# Annotations that carry a file, a sound or a film rather than a mark on the page.
_PDF_ANNOTATIONS_DROPPED: tuple[AnnotationSubtype, ...] = (
    "/FileAttachment",
    "/Sound",
    "/Movie",
    "/Screen",
    "/RichMedia",
    "/3D",
)


class Upload(Protocol):
    """What document_add needs of an uploaded file (Django's UploadedFile has it)."""

    name: str | None
    size: int | None

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class CleanedFile:
    content: bytes
    content_type: str


class _Refused(Exception):
    """A file refused for a reason the worker can act on (the message says which)."""


def _content_type_by_magic(data: bytes) -> str:
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    raise _Refused(
        _(
            "This file is not a PDF, JPEG or PNG document (whatever its name says). Photos in "
            "another format (HEIC, WebP) can be saved or exported as JPEG first."
        )
    )


def _image_clean(data: bytes, content_type: str) -> bytes:
    expected = "JPEG" if content_type == JPEG else "PNG"
    try:
        with Image.open(BytesIO(data), formats=[expected]) as probe:
            width, height = probe.size  # from the header: nothing decoded yet
            if width * height > MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError
            probe.verify()  # PNG: every chunk's checksum, up to the end marker
        with Image.open(BytesIO(data), formats=[expected]) as source:
            source.load()  # decodes every pixel: a truncated or corrupt file fails here
            upright = ImageOps.exif_transpose(source)
    except Image.DecompressionBombError as error:
        raise _Refused(
            _(
                "This image is too large to be processed (more than %(limit)s megapixels): "
                "reduce its resolution and attach it again."
            )
            % {"limit": MAX_IMAGE_PIXELS // 1_000_000}
        ) from error
    # Pillow signals malformed input with several exception types (OSError, SyntaxError,
    # struct.error...): whatever the decoder trips on, the worker gets the same answer.
    except Exception as error:
        raise _Refused(
            _("This image could not be read: the file may be damaged or incomplete.")
        ) from error
    return _pixels_encode(upright, content_type)


def _pixels_encode(image: Image.Image, content_type: str) -> bytes:
    """A new file from the pixels alone: frombytes() starts with no info (EXIF, XMP, ICC, text
    chunks, comments) and save() is told nothing but the encoding."""
    if content_type == JPEG:
        mode = image.mode if image.mode in ("L", "RGB") else "RGB"
    elif image.mode in ("1", "L", "LA", "RGB", "RGBA"):
        mode = image.mode
    elif image.mode == "P" or "A" in image.mode or "transparency" in image.info:
        mode = "RGBA"
    elif image.mode.startswith("I"):  # 16-bit greyscale: scaled, not clipped, to 8 bits
        image = image.convert("I").point(lambda value: value / 256)
        mode = "L"
    else:
        mode = "RGB"
    pixels = image if image.mode == mode else image.convert(mode)
    fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    output = BytesIO()
    if content_type == JPEG:
        # The standard tables at quality 90, not the source's: a camera's own quantisation
        # tables can identify its model.
        fresh.save(output, "JPEG", quality=90)
    else:
        # Fast compression: an incompressible 10 MB PNG takes 3 s instead of 15 s at level 6.
        fresh.save(output, "PNG", compress_level=1)
    return output.getvalue()


def _pdf_clean(data: bytes) -> bytes:
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        # An empty user password only restricts printing or copying (administrations' PDFs
        # often do): the copy is rebuilt without it. A real password means it cannot be read.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _Refused(
                _(
                    "This PDF is protected by a password: open it, print or save it as a new "
                    "PDF without protection, and attach that copy."
                )
            )
        if not reader.pages:
            raise _Refused(_("This PDF has no page."))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page, excluded_keys=_PDF_KEYS_DROPPED)
        writer.remove_annotations(subtypes=_PDF_ANNOTATIONS_DROPPED)
        writer.metadata = None  # no information dictionary, not even pypdf's /Producer
        output = BytesIO()
        writer.write(output)
    except _Refused:
        raise
    # pypdf signals malformed input with many exception types (its own, ValueError, KeyError,
    # RecursionError...): whatever the parser trips on, the worker gets the same answer.
    except Exception as error:
        raise _Refused(
            _("This PDF could not be read: the file may be damaged or incomplete.")
        ) from error
    return output.getvalue()


def document_clean(data: bytes) -> CleanedFile:
    """The type read from the content, then proved by decoding it whole, and a clean copy."""
    content_type = _content_type_by_magic(data)
    if content_type == PDF:
        return CleanedFile(_pdf_clean(data), PDF)
    return CleanedFile(_image_clean(data, content_type), content_type)


def document_filename(name: str | None, content_type: str) -> str:
    """The name the worker gave the file, without any path, control character or misleading
    extension: the extension is the one of the type found in the content."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(
        ch
        for ch in unicodedata.normalize("NFC", base)
        if not unicodedata.category(ch).startswith("C")
    )
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = " ".join(stem.split()).strip(" .")[:MAX_FILENAME_LENGTH]
    return f"{stem or _('document')}.{EXTENSIONS[content_type]}"


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


@transaction.atomic
def document_add(
    *, actor: Actor, case: Case, kind: str, title: str, upload: Upload
) -> CaseDocument:
    """``case`` must come from case_get_for_user (scoped); attaching needs CASE_EDIT and the
    organisation holding the file."""
    _require(actor, Permission.CASE_EDIT)
    _require_owner(actor, case)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the type of document.")})
    limit = settings.DOCUMENT_MAX_BYTES
    # Read one byte past the limit: the announced size is not trusted either.
    data = upload.read(limit + 1)
    if (upload.size or 0) > limit or len(data) > limit:
        raise _file_error(
            _("This file is too large (%(size)s): the limit is %(limit)s.")
            % {
                "size": filesizeformat(max(upload.size or 0, len(data))),
                "limit": filesizeformat(limit),
            }
        )
    if not data:
        raise _file_error(_("This file is empty."))
    try:
        cleaned = document_clean(data)
    except _Refused as refusal:
        raise _file_error(str(refusal)) from refusal
    if kind == DocumentKind.PHOTO and cleaned.content_type == PDF:
        raise _file_error(_("A photo of the young person must be a JPEG or PNG image."))
    document = CaseDocument.objects.create(
        case=case,
        kind=kind,
        title=title.strip(),
        filename=document_filename(upload.name, cleaned.content_type),
        content_type=cleaned.content_type,
        size=len(cleaned.content),
        content=encrypt_bytes(cleaned.content),
        created_by=actor.user,
    )
    audit_record(actor=actor, action=AuditAction.CASE_DOCUMENT_ADD, objects=[case, document])
    return document


@transaction.atomic
def document_delete(*, actor: Actor, document: CaseDocument) -> None:
    """``document`` must be loaded through a scoped case. The row and its content are deleted;
    the audit trail keeps that it existed, by its identifier only."""
    _require(actor, Permission.CASE_EDIT)
    _require_owner(actor, document.case)
    audit_record(
        actor=actor, action=AuditAction.CASE_DOCUMENT_DELETE, objects=[document.case, document]
    )
    document.delete()

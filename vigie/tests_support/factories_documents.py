"""Files made on the spot for the document tests (no binary fixture in the repository), and a
document already attached to a case."""

from io import BytesIO
from typing import Any

from PIL import Image
from pypdf import PdfWriter

from vigie.cases.models import CaseDocument, DocumentKind
from vigie.core.crypto import encrypt_bytes


def png_bytes(
    size: tuple[int, int] = (8, 6), colour: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    output = BytesIO()
    Image.new("RGB", size, colour).save(output, "PNG")
    return output.getvalue()


def jpeg_bytes(
    size: tuple[int, int] = (40, 20), *, exif: Image.Exif | None = None, **save: Any
) -> bytes:
    """A JPEG whose left half is red and right half blue: orientation can be checked."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    output = BytesIO()
    image.save(output, "JPEG", quality=95, **({"exif": exif} if exif is not None else {}), **save)
    return output.getvalue()


def pdf_bytes(
    *, pages: int = 1, metadata: dict[str, str] | None = None, user_password: str | None = None
) -> bytes:
    """A blank A4 PDF; with ``user_password`` ("" for permissions only) it is encrypted."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if metadata:
        writer.add_metadata(metadata)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


class Upload:
    """A file field value the test client can send any number of times (it re-reads nothing:
    each read gives the whole content again)."""

    def __init__(self, name: str, content: bytes, content_type: str = "application/octet-stream"):
        self.name = name
        self.content = content
        self.content_type = content_type

    def read(self, *args: Any) -> bytes:
        return self.content


def document_for_tests(case: Any, *, kind: str = DocumentKind.OTHER, **fields: Any) -> CaseDocument:
    """A document as the service stores it (cleaned PNG, encrypted), without going through it."""
    content = fields.pop("content", png_bytes())
    defaults = {
        "title": "Scan",
        "filename": "scan.png",
        "content_type": "image/png",
        "size": len(content),
    }
    return CaseDocument.objects.create(
        case=case, kind=kind, content=encrypt_bytes(content), **{**defaults, **fields}
    )

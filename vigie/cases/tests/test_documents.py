"""Documents attached to a case file: checked by their content, stripped of their metadata,
stored encrypted, served only to the organisation holding the file, after the audit.

Every file is made by the test itself (Pillow, pypdf): no binary fixture in the repository.
"""

import random
from io import BytesIO, StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image, PngImagePlugin
from PIL.TiffImagePlugin import IFDRational
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.annotations import Link, Text
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import CaseDocument
from vigie.cases.selectors_file import documents_for_case
from vigie.cases.services.documents import document_add, document_delete, document_filename
from vigie.cases.views.documents import attachment_header
from vigie.core.crypto import ENCRYPTED_PREFIX, decrypt_bytes
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_documents import (
    document_for_tests,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
)
from vigie.tests_support.factories_sharing import full_referral_for_tests

pytestmark = pytest.mark.django_db

PHONE_MAKER = "VigieTestPhone"


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in their English source (the French catalogue may reword them)."""
    with translation.override("en"):
        yield


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def actor(users):
    return Actor(user=users[("caseworker", "a")], ip_address="192.0.2.10")


def _upload(content: bytes, name: str = "file.bin", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _add(actor, case, content: bytes, *, name: str = "file.bin", kind: str = "other", title=""):
    return document_add(
        actor=actor, case=case, kind=kind, title=title, upload=_upload(content, name)
    )


def _stored(document: CaseDocument) -> bytes:
    return decrypt_bytes(CaseDocument.objects.get(pk=document.pk).content)


def _raw_columns(document: CaseDocument) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content, title, filename FROM cases_casedocument WHERE id = %s", [document.pk]
        )
        content, title, filename = cursor.fetchone()
    return bytes(content), title, filename


def _photo_with_gps(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = PHONE_MAKER
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (IFDRational(48), IFDRational(51), IFDRational(24))
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (IFDRational(2), IFDRational(21), IFDRational(7))
    return jpeg_bytes(exif=exif)


def _noise_png(size: int = 64) -> bytes:
    output = BytesIO()
    Image.frombytes("RGB", (size, size), random.Random(7).randbytes(size * size * 3)).save(
        output, "PNG"
    )
    return output.getvalue()


def _refusal(error: pytest.ExceptionInfo[ValidationError]) -> str:
    assert set(error.value.message_dict) == {"file"}
    return " ".join(error.value.message_dict["file"])


# --- Images -----------------------------------------------------------------------------------


def test_a_photo_is_stored_without_its_gps_position_and_encrypted(actor, case_a):
    """Given a phone photo whose EXIF holds a GPS position and the phone's make, when it is
    attached, then the stored copy has no EXIF at all and the column holds only a Fernet token."""
    original = _photo_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert PHONE_MAKER.encode() in original

    document = _add(actor, case_a, original, name="IMG_2041.jpg", kind="photo", title="Portrait")

    stored = _stored(document)
    image = Image.open(BytesIO(stored))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"Exif" not in stored
    assert PHONE_MAKER.encode() not in stored
    assert document.content_type == "image/jpeg"
    assert document.size == len(stored)
    content, title, filename = _raw_columns(document)
    assert not content.startswith(b"\xff\xd8")
    assert content.startswith(b"gAAAAA")  # a Fernet token (version byte 0x80, base64)
    assert stored not in content
    assert title.startswith(ENCRYPTED_PREFIX)
    assert filename.startswith(ENCRYPTED_PREFIX)
    assert (document.title, document.filename) == ("Portrait", "IMG_2041.jpg")


def test_a_photo_taken_sideways_is_stored_upright(actor, case_a):
    """Orientation 6 (phone held upright, sensor sideways): the pixels are turned before the
    EXIF that said so is dropped, so that the photo does not lie on its side."""
    document = _add(actor, case_a, _photo_with_gps(orientation=6), name="portrait.jpg")

    image = Image.open(BytesIO(_stored(document))).convert("RGB")
    assert image.size == (20, 40)
    red, _g, blue = image.getpixel((10, 3))
    assert red > 150 > blue  # the red left half of the sensor is now the top
    red, _g, blue = image.getpixel((10, 36))
    assert blue > 150 > red


def test_a_png_loses_its_text_chunks_and_colour_profile(actor, case_a):
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jean Educateur")
    text.add_text("Comment", "Photographed at the squat, rue X")
    image = Image.new("RGBA", (16, 16), (0, 120, 0, 200))
    source = BytesIO()
    image.save(source, "PNG", pnginfo=text, icc_profile=b"\x00" * 128)
    assert b"Jean Educateur" in source.getvalue()

    document = _add(actor, case_a, source.getvalue(), name="scan.png")

    stored = _stored(document)
    cleaned = Image.open(BytesIO(stored))
    assert cleaned.format == "PNG"
    assert cleaned.mode == "RGBA"
    assert cleaned.getpixel((3, 3)) == (0, 120, 0, 200)
    assert not {"Author", "Comment", "icc_profile"} & set(cleaned.info)
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf"):
        assert chunk not in stored


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "photo.jpg"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "photo.jpg"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!", "photo.jpg"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "IMG_0001.HEIC"),
    ],
    ids=["windows-executable", "html-page", "gif", "heic"],
)
def test_a_file_whose_content_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(
    actor, case_a, content, name
):
    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, content, name=name)

    assert "not a PDF, JPEG or PNG" in _refusal(error)
    assert not CaseDocument.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_DOCUMENT_ADD).exists()


def test_webp_is_refused(actor, case_a):
    webp = BytesIO()
    Image.new("RGB", (8, 8)).save(webp, "WEBP")
    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, webp.getvalue(), name="photo.jpg")
    assert "not a PDF, JPEG or PNG" in _refusal(error)


@pytest.mark.parametrize(
    "content",
    [
        jpeg_bytes()[:300],  # the start of a real JPEG: the magic bytes are right
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        png_bytes()[:-20],
        _noise_png()[: len(_noise_png()) // 2],
    ],
    ids=["truncated-jpeg", "png-signature-then-garbage", "png-without-end", "half-a-png"],
)
def test_an_image_that_does_not_decode_whole_is_refused(actor, case_a, content):
    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, content, name="photo.jpg")
    assert "could not be read" in _refusal(error)
    assert not CaseDocument.objects.exists()


@pytest.mark.parametrize(
    "size",
    [(8000, 7000), (16000, 12000)],
    ids=["56-megapixels-over-vigie-limit", "192-megapixels-over-pillow-limit"],
)
def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(actor, case_a, size):
    """A few kilobytes of PNG that would decode to hundreds of megabytes of pixels."""
    bomb = BytesIO()
    Image.new("1", size).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 200_000

    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, bomb.getvalue(), name="bomb.png")

    assert "too large to be processed" in _refusal(error)
    assert not CaseDocument.objects.exists()


# --- PDF --------------------------------------------------------------------------------------


def _pdf_with_everything() -> bytes:
    """Information dictionary, XMP, document JavaScript, a page action, an embedded file, a
    link and a comment."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Jean Educateur", "/Creator": "ScanApp 3.1 (Samsung)"})
    writer.xmp_metadata = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>XmpAuthorName</dc:creator>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    writer.add_open_action(JavaScript("app.alert('DocumentScript');"))
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert('PageScript');"),
                }
            )
        }
    )
    writer.add_attachment("network-contacts.txt", b"names and phone numbers")
    writer.add_annotation(0, Link(rect=(10, 10, 100, 100), url="https://tracker.example/x"))
    writer.add_annotation(0, Text(rect=(10, 110, 100, 200), text="Visible comment"))
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_pdf_loses_its_metadata_and_active_content_and_keeps_its_pages(actor, case_a):
    original = _pdf_with_everything()
    before = PdfReader(BytesIO(original))
    assert before.metadata["/Author"] == "Jean Educateur"
    assert before.xmp_metadata is not None
    assert before.attachments
    assert "/Names" in before.trailer["/Root"]
    assert "/AA" in before.pages[0]

    document = _add(actor, case_a, original, name="ordonnance.pdf", kind="judicial")

    stored = _stored(document)
    after = PdfReader(BytesIO(stored))
    assert len(after.pages) == 2
    assert after.metadata is None
    assert after.xmp_metadata is None
    assert after.attachments == {}
    assert set(after.trailer["/Root"]) == {"/Type", "/Pages"}
    for text in (b"Jean Educateur", b"ScanApp", b"XmpAuthorName", b"Script", b"pypdf"):
        assert text not in stored
    page = after.pages[0]
    assert "/AA" not in page
    annotations = [a.get_object() for a in page["/Annots"]]
    assert sorted(a["/Subtype"] for a in annotations) == ["/Link", "/Text"]
    assert all("/A" not in a for a in annotations)  # the link's action is gone
    assert document.content_type == "application/pdf"


def test_a_pdf_with_a_password_is_refused(actor, case_a):
    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, pdf_bytes(user_password="secret"), name="locked.pdf")
    assert "protected by a password" in _refusal(error)
    assert not CaseDocument.objects.exists()


def test_a_pdf_restricted_without_a_password_is_kept_unlocked(actor, case_a):
    """Administrations often send PDFs that anyone can open but not print: the copy is usable."""
    original = pdf_bytes(pages=3, user_password="")
    assert PdfReader(BytesIO(original)).is_encrypted

    document = _add(actor, case_a, original, name="decision.pdf")

    after = PdfReader(BytesIO(_stored(document)))
    assert not after.is_encrypted
    assert len(after.pages) == 3


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\n" + b"garbage " * 50, pdf_bytes()[:120]],
    ids=["pdf-header-then-garbage", "truncated-pdf"],
)
def test_a_pdf_that_cannot_be_parsed_is_refused(actor, case_a, content):
    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, content, name="scan.pdf")
    assert "could not be read" in _refusal(error) or "no page" in _refusal(error)


def test_a_photo_of_the_young_person_must_be_an_image(actor, case_a):
    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, pdf_bytes(), name="photo.pdf", kind="photo")
    assert "JPEG or PNG" in _refusal(error)


# --- Size, name, rights -----------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused(actor, case_a, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    content = _noise_png(40)
    assert len(content) > 1000

    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, content, name="big.png")

    assert "too large" in _refusal(error)
    assert "1000" in _refusal(error)
    assert not CaseDocument.objects.exists()


def test_the_limit_is_read_from_the_content_not_from_the_announced_size(actor, case_a, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    upload = _upload(jpeg_bytes((200, 200)), "photo.jpg")
    assert upload.size > 1000
    upload.size = 10  # what a lying client could announce

    with pytest.raises(ValidationError) as error:
        document_add(actor=actor, case=case_a, kind="other", title="", upload=upload)
    assert "too large" in _refusal(error)


def test_an_empty_file_is_refused(actor, case_a):
    with pytest.raises(ValidationError) as error:
        _add(actor, case_a, b"", name="empty.pdf")
    assert "empty" in _refusal(error)


@pytest.mark.parametrize(
    ("given", "content_type", "stored"),
    [
        ("acte-naissance.pdf", "application/pdf", "acte-naissance.pdf"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\educ\\Bureau\\Jugement TPE.PDF", "application/pdf", "Jugement TPE.pdf"),
        ("photo.jpg", "image/png", "photo.png"),  # the extension of what the content is
        ("rapport.pdf.exe", "application/pdf", "rapport.pdf.pdf"),
        ("bad\x00name\u202egpj.pdf", "application/pdf", "badnamegpj.pdf"),
        ("  ..  ", "image/jpeg", "document.jpg"),
        ("", "image/png", "document.png"),
        (".profile", "application/pdf", "profile.pdf"),
        ("Décision du juge des enfants.pdf", "application/pdf", "Décision du juge des enfants.pdf"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 120 + ".pdf"),
    ],
)
def test_the_file_name_loses_any_path_control_character_and_misleading_extension(
    given, content_type, stored
):
    assert document_filename(given, content_type) == stored


def test_only_the_organisation_holding_the_file_may_attach_even_with_a_referral(
    users, org_b, case_a
):
    full_referral_for_tests(case_a, org_b)
    for key in [("caseworker", "b"), ("coordinator", "b"), ("analyst", "a"), ("org_admin", "a")]:
        with pytest.raises(PermissionDenied):
            _add(Actor(user=users[key]), case_a, png_bytes(), name="x.png")
    assert not CaseDocument.objects.exists()


def test_attaching_and_deleting_are_audited(actor, case_a):
    document = _add(actor, case_a, png_bytes(), name="scan.png", title="Acte")
    added = AuditEvent.objects.get(action=AuditAction.CASE_DOCUMENT_ADD)
    assert set(added.object_uuids) == {str(case_a.uuid), str(document.uuid)}
    assert added.actor_uuid == actor.user.uuid

    document_delete(actor=actor, document=case_a.documents.defer("content").get())

    assert not CaseDocument.objects.exists()
    deleted = AuditEvent.objects.get(action=AuditAction.CASE_DOCUMENT_DELETE)
    assert set(deleted.object_uuids) == {str(case_a.uuid), str(document.uuid)}


def test_a_referral_recipient_cannot_delete(users, org_b, case_a):
    document = document_for_tests(case_a)
    full_referral_for_tests(case_a, org_b)
    with pytest.raises(PermissionDenied):
        document_delete(actor=Actor(user=users[("coordinator", "b")]), document=document)
    assert CaseDocument.objects.filter(pk=document.pk).exists()


def test_the_list_never_loads_the_files_content(case_a):
    document_for_tests(case_a, title="Acte de naissance")
    document_for_tests(case_a, kind="photo", title="Portrait")

    with CaptureQueriesContext(connection) as queries:
        documents = documents_for_case(case=case_a)
        titles = {d.title for d in documents}
        people = [d.created_by for d in documents]

    assert titles == {"Acte de naissance", "Portrait"}
    assert people == [None, None]
    assert len(queries) == 1
    assert '"content"' not in queries[0]["sql"]


# --- Key rotation -----------------------------------------------------------------------------


def test_key_rotation_re_encrypts_the_documents_content(actor, case_a, settings):
    # Everything else in the database (the case, the people) is under the test key: it is the
    # old key here, so that rotation can read every row.
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    document = _add(actor, case_a, jpeg_bytes(), name="photo.jpg", title="Portrait")
    plain = _stored(document)
    before, title_before, _filename = _raw_columns(document)
    # The new key alone cannot read what the old one wrote.
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]), pytest.raises(ValueError):
        decrypt_bytes(before)

    stdout = StringIO()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("crypto", "rotate", stdout=stdout)

    assert "cases.CaseDocument.content: 1 rows re-encrypted" in stdout.getvalue()
    after, title_after, _filename = _raw_columns(document)
    assert after != before
    assert title_after != title_before
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert decrypt_bytes(after) == plain
        assert CaseDocument.objects.get(pk=document.pk).title == "Portrait"
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]), pytest.raises(ValueError):
        decrypt_bytes(after)


# --- Serving ----------------------------------------------------------------------------------


def _document_url(document: CaseDocument, case=None) -> str:
    return reverse(
        "cases:document",
        kwargs={"case_uuid": (case or document.case).uuid, "document_uuid": document.uuid},
    )


def test_a_document_is_served_as_a_download_after_its_audit(actor, users, case_a, client_for):
    document = _add(actor, case_a, png_bytes(), name="Acte de naissance \u2013 Aïcha.png")
    client = client_for(users[("coordinator", "a")])
    since = AuditEvent.objects.order_by("-sequence").first().sequence

    response = client.get(_document_url(document), REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 200
    assert response.content == _stored(document)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        'attachment; filename="Acte de naissance _ Aicha.png"; '
        "filename*=UTF-8''Acte%20de%20naissance%20%E2%80%93%20A%C3%AFcha.png"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    events = list(AuditEvent.objects.filter(sequence__gt=since))
    assert [e.action for e in events] == [AuditAction.CASE_DOCUMENT_VIEW]
    assert str(case_a.uuid) in events[0].object_uuids
    assert events[0].ip_address == "198.51.100.4"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        (
            'a"b;c\\d.pdf',
            "attachment; filename=\"a_b_c_d.pdf\"; filename*=UTF-8''a%22b%3Bc%5Cd.pdf",
        ),
        (
            "مستند.pdf",
            'attachment; filename="_____.pdf"; '
            "filename*=UTF-8''%D9%85%D8%B3%D8%AA%D9%86%D8%AF.pdf",
        ),
    ],
)
def test_the_download_name_cannot_break_the_header(filename, expected):
    assert attachment_header(filename) == expected


def test_another_organisation_gets_404_even_with_a_referral(users, org_b, case_a, client_for):
    document = document_for_tests(case_a, title="Acte de naissance")
    client = english(client_for(users[("caseworker", "b")]))
    assert client.get(_document_url(document)).status_code == 404

    full_referral_for_tests(case_a, org_b)
    assert client.get(_document_url(document)).status_code == 404
    assert not AuditEvent.objects.filter(
        action=AuditAction.CASE_DOCUMENT_VIEW, actor_uuid=users[("caseworker", "b")].uuid
    ).exists()


def test_a_document_is_found_only_through_its_own_case(users, org_a, case_a, client_for):
    other_case = CaseFactory(organisation=org_a)
    document = document_for_tests(other_case)
    client = client_for(users[("caseworker", "a")])
    assert client.get(_document_url(document, case=case_a)).status_code == 404
    assert client.get(_document_url(document)).status_code == 200


# --- Pages ------------------------------------------------------------------------------------


def _add_url(case) -> str:
    return reverse("cases:document_add", kwargs={"case_uuid": case.uuid})


def test_attaching_from_the_page_lists_the_document_on_the_case_file(users, case_a, client_for):
    caseworker = users[("caseworker", "a")]
    client = english(client_for(caseworker))
    page = client.get(_add_url(case_a))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = client.post(
        _add_url(case_a),
        {"kind": "photo", "title": "Portrait", "file": _upload(_photo_with_gps(), "IMG_1.jpg")},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#documents-heading")
    document = CaseDocument.objects.get()
    body = client.get(reverse("cases:detail", kwargs={"case_uuid": case_a.uuid})).content.decode()
    assert _document_url(document) in body
    assert "Portrait" in body
    assert "<strong>Photo of the young person</strong>" in body
    assert caseworker.full_name in body
    assert f"<td>{filesizeformat(document.size)}</td>" in body


def test_a_refused_file_re_renders_the_form_with_the_reason(users, case_a, client_for):
    client = client_for(users[("caseworker", "a")])
    response = client.post(
        _add_url(case_a),
        {"kind": "photo", "file": _upload(b"<html><script>x</script></html>", "photo.jpg")},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"]
    assert not CaseDocument.objects.exists()


def test_an_oversize_upload_is_kept_in_memory_cut_and_refused(
    users, case_a, client_for, settings, monkeypatch
):
    """Past the limit, the upload handler stops keeping bytes (a huge request cannot fill the
    memory) and the file never goes to a temporary file on disk; the page says why."""
    settings.DOCUMENT_MAX_BYTES = 4096
    received = []
    from vigie.cases.views import documents as views

    original = views.document_add

    def spy(**kwargs):
        upload = kwargs["upload"]
        received.append((type(upload), upload.size, len(upload.read())))
        upload.seek(0)
        return original(**kwargs)

    monkeypatch.setattr(views, "document_add", spy)
    client = english(client_for(users[("caseworker", "a")]))

    response = client.post(
        _add_url(case_a), {"kind": "other", "file": _upload(b"%PDF-1.7\n" + b"0" * 3_000_000)}
    )

    assert response.status_code == 422
    assert "too large" in " ".join(response.context["form"].errors["file"])
    assert received == [(InMemoryUploadedFile, 3_000_009, 4097)]
    assert not CaseDocument.objects.exists()


def test_deleting_asks_first_then_erases(users, case_a, client_for):
    document = document_for_tests(case_a, title="Ancien passeport")
    client = client_for(users[("coordinator", "a")])
    url = reverse(
        "cases:document_delete",
        kwargs={"case_uuid": case_a.uuid, "document_uuid": document.uuid},
    )

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ancien passeport" in confirm.content.decode()
    assert CaseDocument.objects.filter(pk=document.pk).exists()

    response = client.post(url)

    assert response.status_code == 302
    assert not CaseDocument.objects.filter(pk=document.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CASE_DOCUMENT_DELETE).count() == 1


# --- In the browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_attaching_a_photo_in_the_browser(
    page, visit, axe_check, browser_sign_in, allow_console_error
):
    """A caseworker tries a file that is not an image, reads why it is refused, attaches the
    photo, finds it on the file marked as the young person's photo, downloads it, and opens the
    deletion page. axe-core checks every page. Selectors use names and ids: the wording will be
    translated."""
    from playwright.sync_api import expect

    from vigie.tests_support.browser import submit_main_form
    from vigie.tests_support.factories import UserFactory

    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(organisation=caseworker.organisation)
    browser_sign_in(caseworker)

    allow_console_error("status of 422")  # the refused file
    visit(_add_url(case))
    page.select_option("select[name=kind]", "photo")
    page.set_input_files(
        "input[name=file]",
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"<html></html>"},
    )
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("#id_file_error")).to_be_visible()

    page.select_option("select[name=kind]", "photo")
    page.fill("input[name=title]", "Portrait")
    page.set_input_files(
        "input[name=file]",
        {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": _photo_with_gps()},
    )
    submit_main_form(page)
    axe_check(page)

    document = CaseDocument.objects.get(case=case)
    assert page.url.endswith(f"{case.get_absolute_url()}#documents-heading")
    row = page.locator("#documents-heading + p + table tbody tr")
    expect(row).to_have_count(1)
    with translation.override("fr"):  # the browser sees the French default
        expect(row.locator("strong")).to_have_text(document.get_kind_display())
    with page.expect_download() as download:
        row.locator(f"a[href='{_document_url(document)}']").click()
    assert download.value.suggested_filename == "IMG_2041.jpg"
    assert Image.open(download.value.path()).size == (40, 20)

    with page.expect_navigation():
        row.locator("a[href$='/supprimer/']").click()
    axe_check(page)
    submit_main_form(page)
    axe_check(page)
    assert not CaseDocument.objects.filter(case=case).exists()

"""Documents of a case file: attach, open, delete. Thin: checks and cleaning live in the service.

Documents open for the organisation holding the file only, never through a share: identity papers,
court decisions and photos are the most sensitive part of a file, and a share (a referral) gives
the other organisation what it needs to read the file, not copies of the papers themselves.
"""

import unicodedata
import uuid
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from vigie.accounts.roles import Permission
from vigie.audit.models import AuditAction
from vigie.core.crypto import decrypt_bytes
from vigie.core.views import ProtectedView

from .. import selectors
from ..forms_documents import CaseDocumentForm
from ..models import Case, CaseDocument
from ..services.documents import document_add, document_delete


def attachment_header(filename: str) -> str:
    """``attachment`` with an ASCII name for old clients and the exact name in RFC 6266 form."""
    fallback = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "._- ") else "_"
        for ch in unicodedata.normalize("NFKD", filename)
        if not unicodedata.combining(ch)  # é -> e, not e_
    ).strip()
    exact = quote(filename, safe="")
    return f"attachment; filename=\"{fallback or 'document'}\"; filename*=UTF-8''{exact}"


def _case_documents_url(case: Case) -> str:
    return reverse("cases:detail", kwargs={"case_uuid": case.uuid}) + "#documents-heading"


def _document_of(
    case: Case, document_uuid: uuid.UUID, *, with_content: bool = False
) -> CaseDocument:
    """Through the case (already scoped): a document of another file is a 404."""
    documents = case.documents.all() if with_content else case.documents.defer("content")
    return get_object_or_404(documents, uuid=document_uuid)


class CaseDocumentAddView(ProtectedView):
    permission = Permission.CASE_EDIT

    def _page(
        self, request: HttpRequest, case: Case, form: CaseDocumentForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request, "cases/document_add.html", {"case": case, "form": form}, status=status
        )

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        return self._page(request, case, CaseDocumentForm())

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        form = CaseDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document_add(
                    actor=self.actor,
                    case=case,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(_case_documents_url(case))
        return self._page(request, case, form, status=422)


class CaseDocumentView(ProtectedView):
    permission = Permission.CASE_VIEW

    def get(
        self, request: HttpRequest, case_uuid: uuid.UUID, document_uuid: uuid.UUID
    ) -> HttpResponse:
        case = selectors.case_get_for_user(
            actor=self.actor,
            case_uuid=case_uuid,
            action=AuditAction.CASE_DOCUMENT_VIEW,
        )
        document = _document_of(case, document_uuid, with_content=True)
        response = HttpResponse(decrypt_bytes(document.content), content_type=document.content_type)
        # Downloaded, never rendered in Vigie's origin; the type is the one the service proved.
        response["Content-Disposition"] = attachment_header(document.filename)
        response["X-Content-Type-Options"] = "nosniff"
        # NoStoreForAuthenticatedMiddleware says it too; a document must not depend on it.
        response["Cache-Control"] = "no-store"
        return response


class CaseDocumentDeleteView(ProtectedView):
    permission = Permission.CASE_EDIT

    def get(
        self, request: HttpRequest, case_uuid: uuid.UUID, document_uuid: uuid.UUID
    ) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        document = _document_of(case, document_uuid)
        return render(request, "cases/document_delete.html", {"case": case, "document": document})

    def post(
        self, request: HttpRequest, case_uuid: uuid.UUID, document_uuid: uuid.UUID
    ) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        document = _document_of(case, document_uuid)
        document_delete(actor=self.actor, document=document)
        return redirect(_case_documents_url(case))

"""Pages of the alternative report: list, create, edit, sections, figures, and the exports.

Advocacy readers (analysts, coordinators) read reports and download the exports; analysts edit.
Reports are shared work, not an organisation's files: no organisation scope.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from vigie.accounts.roles import Permission
from vigie.core.forms import form_errors_add
from vigie.core.http import attachment_response
from vigie.core.views import ProtectedView

from .forms_reports import FigureForm, ReportCreateForm, ReportForm, SectionForm
from .models import Report, ReportSection
from .report_document import report_document
from .report_docx import report_docx
from .report_markdown import report_markdown
from .report_pdf import report_pdf
from .services.reports import (
    ReportFields,
    SectionFields,
    figure_add,
    report_create,
    report_get,
    report_update,
    reports_list,
    section_add,
    section_get,
    section_update,
)


def _report_fields(data: dict[str, Any]) -> ReportFields:
    return ReportFields(
        title=data["title"],
        language=data["language"],
        release=data["release"],
        executive_summary=data.get("executive_summary", ""),
        member_organisations=data.get("member_organisations", ""),
        annexes=data.get("annexes", ""),
    )


def _section_fields(data: dict[str, Any]) -> SectionFields:
    return SectionFields(
        title=data["title"],
        theme=data["theme"],
        observations=data["observations"],
        violations=data["violations"],
        questions=data["questions"],
        recommendations=tuple(data["recommendations"]),
    )


def _section_initial(section: ReportSection) -> dict[str, Any]:
    return {
        "title": section.title,
        "theme": section.theme,
        "observations": section.observations,
        "violations": section.violations,
        "questions": section.questions,
        "recommendations": list(section.recommendations.all()),
    }


class _EditingView(ProtectedView):
    """Pages naming a report that anyone reading may open and only an editor may post to."""

    abstract = True
    permission = Permission.ADVOCACY_VIEW

    def _check_edit(self) -> None:
        # A URL naming an object: 404 for someone who may not act on it (vigie/core/views.py).
        if not self.user.has_vigie_permission(Permission.ADVOCACY_EDIT):
            raise Http404


class ReportListView(ProtectedView):
    permission = Permission.ADVOCACY_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "reports": reports_list(),
            "can_edit": self.user.has_vigie_permission(Permission.ADVOCACY_EDIT),
        }
        return render(request, "advocacy/reports/list.html", context)


class ReportCreateView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _page(
        self, request: HttpRequest, form: ReportCreateForm, status: int = 200
    ) -> HttpResponse:
        return render(request, "advocacy/reports/create.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, ReportCreateForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReportCreateForm(request.POST)
        if form.is_valid():
            try:
                report = report_create(actor=self.actor, fields=_report_fields(form.cleaned_data))
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:report", report_uuid=report.uuid)
        return self._page(request, form, status=422)


class ReportView(_EditingView):
    def _page(
        self, request: HttpRequest, report: Report, form: ReportForm | None, status: int = 200
    ) -> HttpResponse:
        can_edit = self.user.has_vigie_permission(Permission.ADVOCACY_EDIT)
        if form is None and can_edit:
            form = ReportForm(
                initial={
                    "title": report.title,
                    "language": report.language,
                    "release": report.release,
                    "executive_summary": report.executive_summary,
                    "member_organisations": report.member_organisations,
                    "annexes": report.annexes,
                }
            )
        sections = report.sections.prefetch_related("figures", "recommendations").order_by(
            "position"
        )
        context = {"report": report, "form": form, "sections": sections, "can_edit": can_edit}
        return render(request, "advocacy/reports/detail.html", context, status=status)

    def get(self, request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
        return self._page(request, report_get(report_uuid), None)

    def post(self, request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
        self._check_edit()
        report = report_get(report_uuid)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                report_update(
                    actor=self.actor, report=report, fields=_report_fields(form.cleaned_data)
                )
            except ValidationError as error:
                form_errors_add(form, error)
                report.refresh_from_db()
            else:
                return redirect("advocacy:report", report_uuid=report.uuid)
        return self._page(request, report, form, status=422)


class SectionAddView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _page(
        self, request: HttpRequest, report: Report, form: SectionForm, status: int = 200
    ) -> HttpResponse:
        context = {"report": report, "form": form, "section": None}
        return render(request, "advocacy/reports/section.html", context, status=status)

    def get(self, request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
        return self._page(request, report_get(report_uuid), SectionForm())

    def post(self, request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
        report = report_get(report_uuid)
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                section = section_add(
                    actor=self.actor, report=report, fields=_section_fields(form.cleaned_data)
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:section_edit", section_uuid=section.uuid)
        return self._page(request, report, form, status=422)


class SectionEditView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _page(
        self, request: HttpRequest, section: ReportSection, form: SectionForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "report": section.report,
            "section": section,
            "figures": section.figures.all(),
            "form": form,
        }
        return render(request, "advocacy/reports/section.html", context, status=status)

    def get(self, request: HttpRequest, section_uuid: uuid.UUID) -> HttpResponse:
        section = section_get(section_uuid)
        return self._page(request, section, SectionForm(initial=_section_initial(section)))

    def post(self, request: HttpRequest, section_uuid: uuid.UUID) -> HttpResponse:
        section = section_get(section_uuid)
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                section_update(
                    actor=self.actor, section=section, fields=_section_fields(form.cleaned_data)
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:report", report_uuid=section.report.uuid)
        return self._page(request, section, form, status=422)


class FigureAddView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _page(
        self, request: HttpRequest, section: ReportSection, form: FigureForm, status: int = 200
    ) -> HttpResponse:
        context = {"report": section.report, "section": section, "form": form}
        return render(request, "advocacy/reports/figure.html", context, status=status)

    def get(self, request: HttpRequest, section_uuid: uuid.UUID) -> HttpResponse:
        section = section_get(section_uuid)
        return self._page(request, section, FigureForm(release=section.report.release))

    def post(self, request: HttpRequest, section_uuid: uuid.UUID) -> HttpResponse:
        section = section_get(section_uuid)
        form = FigureForm(request.POST, release=section.report.release)
        if form.is_valid():
            table, cell = form.cleaned_data["cell"]
            try:
                figure_add(
                    actor=self.actor,
                    section=section,
                    label=form.cleaned_data["label"],
                    table=table,
                    cell=cell,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:section_edit", section_uuid=section.uuid)
        return self._page(request, section, form, status=422)


def _download(
    content: bytes | str, report: Report, extension: str, content_type: str
) -> HttpResponse:
    filename = f"{slugify(report.title) or 'rapport'}.{extension}"
    return attachment_response(content, filename, content_type)


class ReportPdfView(ProtectedView):
    permission = Permission.ADVOCACY_VIEW

    def get(self, request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
        report = report_get(report_uuid)
        return _download(report_pdf(report_document(report)), report, "pdf", "application/pdf")


class ReportDocxView(ProtectedView):
    permission = Permission.ADVOCACY_VIEW

    def get(self, request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
        report = report_get(report_uuid)
        return _download(
            report_docx(report_document(report)),
            report,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )


class ReportMarkdownView(ProtectedView):
    permission = Permission.ADVOCACY_VIEW

    def get(self, request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
        report = report_get(report_uuid)
        return _download(
            report_markdown(report_document(report)), report, "md", "text/markdown; charset=utf-8"
        )

"""Pages of the import of spreadsheets: upload, map the columns, preview, commit, follow.

Thin over vigie/imports/services/ (every rule, the permission per target, the audit) and
selectors.py (scoping). The journey, for each target (case files, directory entries, places):

1. the upload page of the target (its own URL and permission) keeps the file, encrypted, in an
   import job, and lists the organisation's recent imports;
2. the mapping page names, for each field, the file's column that holds it (a saved mapping, or
   the suggestion from the column names, preselected);
3. the preview checks every row without writing any and shows the counts, the sample and every
   problem by line and column; it is computed again for every display (nothing of the file is
   kept in the session), so what is shown is what the commit sees;
4. the commit queues the background job; its page follows the progress (htmx) to the result.

Pages naming a job are open to whoever may import that job's target: the permission depends on
the job, so the scoped selector is the gate (404 for another organisation's job, or one of a
target the person may not import) rather than one permission on the view.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats
from django.utils.decorators import method_decorator
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from vigie.accounts.roles import Permission
from vigie.cases.uploads import BoundedMemoryUploadHandler
from vigie.core.forms import form_errors_add
from vigie.core.views import SIGNED_IN, ProtectedView

from . import services
from .fields import import_fields
from .forms import ImportMappingForm, ImportUploadForm, SavedMappingForm, mapping_errors_add
from .models import ImportJob, ImportStatus, ImportTarget
from .readers import MAX_BYTES as IMPORT_UPLOAD_MAX_BYTES
from .selectors import import_job_get_for_user, import_mappings_for_user, jobs_recent_for_user
from .services import ImportPreview
from .targets import target_get

# A 100,000-row file may hold as many problems: the page shows the first ones and their total.
ERRORS_SHOWN = 200


@dataclass(frozen=True)
class TargetPages:
    """What the pages say and link to for one target."""

    upload_url_name: str
    title: Promise
    # The link to the upload page from the target's list page.
    link_label: Promise
    # Where the imported things are seen afterwards.
    list_url_name: str
    list_label: Promise


TARGET_PAGES: dict[str, TargetPages] = {
    ImportTarget.CASES: TargetPages(
        "imports:cases",
        gettext_lazy("Import case files"),
        gettext_lazy("Import files from a spreadsheet"),
        "cases:list",
        gettext_lazy("See the case files"),
    ),
    ImportTarget.DIRECTORY: TargetPages(
        "imports:directory",
        gettext_lazy("Import directory entries"),
        gettext_lazy("Import a spreadsheet (CSV or XLSX)"),
        "network:directory",
        gettext_lazy("See the directory"),
    ),
    ImportTarget.PLACES: TargetPages(
        "imports:places",
        gettext_lazy("Import accommodation places"),
        gettext_lazy("Import places from a spreadsheet"),
        "network:places_mine",
        gettext_lazy("See my organisation's places"),
    ),
    ImportTarget.ADS: TargetPages(
        "imports:ads",
        gettext_lazy("Import online advertisements"),
        gettext_lazy("Import ads from a file (CSV, XLSX or JSON)"),
        "outreach:ads",
        gettext_lazy("See the advertisements"),
    ),
}


def _number(value: int | None) -> str:
    """37 500 in French, 37,500 in English: grouped whatever the settings."""
    return str(formats.number_format(value or 0, force_grouping=True))


def _errors_shown(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """The first ERRORS_SHOWN problems (RowError, or their dicts saved on the job), their line
    written as people read it (« 73 422 »)."""
    shown = []
    for error in errors[:ERRORS_SHOWN]:
        item = error if isinstance(error, dict) else error.as_dict()
        shown.append(item | {"line_shown": _number(item["line"]) if item["line"] else ""})
    return shown


def _running(job: ImportJob) -> bool:
    return job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)


def _job_url(job: ImportJob) -> str:
    """Where a job of the recent list leads: the next step while it has not been committed."""
    if job.status == ImportStatus.UPLOADED:
        return reverse("imports:mapping", args=[job.uuid])
    return reverse("imports:job", args=[job.uuid])


class ImportUploadHandler(BoundedMemoryUploadHandler):
    """As every upload of Vigie (vigie/cases/uploads.py): in memory, never a temporary file in
    clear on disk, and bounded; the bound here is the largest spreadsheet the import reads, one
    byte past it so the service can say "too large" rather than read a truncated file."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.bytes_left = IMPORT_UPLOAD_MAX_BYTES + 1


# --- 1. Upload --------------------------------------------------------------------------------


@method_decorator(csrf_exempt, name="dispatch")
class _UploadView(ProtectedView):
    """The upload page of one target. The CSRF check is made in ``post`` (csrf_protect), after
    the upload handler is chosen: the check reads the form, which receives the file."""

    abstract = True
    target: ClassVar[str]
    template_name = "imports/upload.html"

    def _page(
        self, request: HttpRequest, form: ImportUploadForm, status: int = 200
    ) -> HttpResponse:
        jobs = jobs_recent_for_user(actor=self.actor, target=self.target)
        context = {
            "form": form,
            "pages": TARGET_PAGES[self.target],
            "target": self.target,
            "fields": import_fields(self.target),
            "jobs": [{"job": job, "url": _job_url(job)} for job in jobs],
        }
        return render(request, self.template_name, context, status=status)

    def _form(self, *args: Any) -> ImportUploadForm:
        return ImportUploadForm(*args, limit=filesizeformat(IMPORT_UPLOAD_MAX_BYTES))

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        # Chosen before the form is read (Django reads the file with the form's first access).
        request.upload_handlers = [ImportUploadHandler(request)]
        return self._post(request)

    @method_decorator(csrf_protect)
    def _post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, form, status=422)
        upload = form.cleaned_data["file"]
        try:
            job = services.import_upload(
                actor=self.actor,
                target=self.target,
                filename=upload.name or "",
                content=upload.read(),
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self._page(request, form, status=422)
        return redirect("imports:mapping", job_uuid=job.uuid)


class CaseUploadView(_UploadView):
    permission = Permission.CASE_IMPORT
    target = ImportTarget.CASES


class DirectoryUploadView(_UploadView):
    permission = Permission.DIRECTORY_MANAGE
    target = ImportTarget.DIRECTORY


class PlacesUploadView(_UploadView):
    permission = Permission.PLACES_MANAGE
    target = ImportTarget.PLACES


class AdsUploadView(_UploadView):
    permission = Permission.OUTREACH_EDIT
    target = ImportTarget.ADS


# Who may import what: the upload views' permissions (the services check the same table).
TARGET_PERMISSIONS: dict[str, Permission] = {
    view.target: view.permission
    for view in (CaseUploadView, DirectoryUploadView, PlacesUploadView, AdsUploadView)
    if isinstance(view.permission, Permission)
}


# --- Pages of one job -------------------------------------------------------------------------


class _JobView(ProtectedView):
    # The permission depends on the job's target: checked by the scoped selector (see above).
    abstract = True
    permission = SIGNED_IN

    def job(self, job_uuid: uuid.UUID) -> ImportJob:
        return import_job_get_for_user(actor=self.actor, job_uuid=job_uuid)

    def context(self, job: ImportJob) -> dict[str, Any]:
        return {"job": job, "pages": TARGET_PAGES[job.target]}


# --- 2. Mapping -------------------------------------------------------------------------------


def _mapping_page(
    view: _JobView,
    job: ImportJob,
    form: ImportMappingForm,
    headers: list[str],
    *,
    status: int = 200,
    chooser: SavedMappingForm | None = None,
    missing: list[str] | None = None,
) -> HttpResponse:
    if chooser is None:
        mappings = import_mappings_for_user(actor=view.actor, target=job.target)
        chooser = SavedMappingForm(mappings=mappings)
    context = view.context(job) | {
        "form": form,
        "headers": headers,
        "chooser": chooser,
        "missing": missing or [],
    }
    return render(view.request, "imports/mapping.html", context, status=status)


class MappingView(_JobView):
    def get(self, request: HttpRequest, job_uuid: uuid.UUID) -> HttpResponse:
        job = self.job(job_uuid)
        if job.status != ImportStatus.UPLOADED:
            return redirect("imports:job", job_uuid=job.uuid)
        headers = services.import_headers(job)
        mappings = import_mappings_for_user(actor=self.actor, target=job.target)
        chooser = SavedMappingForm(
            request.GET if "modele" in request.GET else None, mappings=mappings
        )
        chosen = None
        if chooser.is_bound and chooser.is_valid():
            chosen = next(m for m in mappings if str(m.uuid) == chooser.cleaned_data["modele"])
            columns = dict(chosen.columns)
        elif job.columns:
            columns = dict(job.columns)  # back from the preview: the mapping just tried
        else:
            columns = services.import_mapping_suggest(target=job.target, headers=headers)
        form = ImportMappingForm(
            import_fields=import_fields(job.target), headers=headers, columns=columns
        )
        # A saved mapping naming a column this file does not have: said, not silently dropped.
        missing = sorted(set(columns.values()) - set(headers)) if chosen else []
        status = 422 if chooser.is_bound and not chooser.is_valid() else 200
        return _mapping_page(
            self, job, form, headers, status=status, chooser=chooser, missing=missing
        )


# --- 3. Preview -------------------------------------------------------------------------------


def _preview_page(
    view: _JobView,
    job: ImportJob,
    columns: dict[str, str],
    *,
    preview: ImportPreview | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    if preview is None:
        preview = services.import_preview(actor=view.actor, job=job, columns=columns)
    fields = [field for field in import_fields(job.target) if field.name in columns]
    context = view.context(job) | {
        "preview": preview,
        "fields": fields,
        "columns": [(field, columns[field.name]) for field in fields],
        "sample": [[row.get(field.name, "") for field in fields] for row in preview.sample],
        "errors": _errors_shown(preview.errors),
        "errors_total": _number(preview.error_count),
        "errors_capped": preview.error_count > min(len(preview.errors), ERRORS_SHOWN),
        # Directory entries and places matching a record are updated; case files never are.
        "updates": target_get(job.target).on_match == "update",
        "counts": {
            "rows": _number(preview.rows_total),
            "new": _number(preview.new_count),
            "updates": _number(preview.update_count),
            "duplicates": _number(preview.duplicate_count),
            "errors": _number(preview.error_count),
        },
        "problems": problems or [],
    }
    status = 200 if preview.ok and not problems else 422
    return render(view.request, "imports/preview.html", context, status=status)


def _name_error_on_form(error: ValidationError) -> ValidationError:
    """The mapping service names the mapping's name "name"; the form calls it mapping_name."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            ("mapping_name" if key == "name" else key): value
            for key, value in error.error_dict.items()
        }
    )


class PreviewView(_JobView):
    """POST: the mapping form (saved if named), then the preview. GET: the preview of the
    mapping last tried (the way back from a refused commit, or a reload)."""

    def get(self, request: HttpRequest, job_uuid: uuid.UUID) -> HttpResponse:
        job = self.job(job_uuid)
        if job.status != ImportStatus.UPLOADED:
            return redirect("imports:job", job_uuid=job.uuid)
        if not job.columns:
            return redirect("imports:mapping", job_uuid=job.uuid)
        return _preview_page(self, job, dict(job.columns))

    def post(self, request: HttpRequest, job_uuid: uuid.UUID) -> HttpResponse:
        job = self.job(job_uuid)
        if job.status != ImportStatus.UPLOADED:
            return redirect("imports:job", job_uuid=job.uuid)
        headers = services.import_headers(job)
        form = ImportMappingForm(
            request.POST, import_fields=import_fields(job.target), headers=headers
        )
        if not form.is_valid():
            return _mapping_page(self, job, form, headers, status=422)
        columns = form.columns()
        name = form.cleaned_data["mapping_name"]
        try:
            # Checked first: a mapping the preview refuses is not saved.
            preview = services.import_preview(actor=self.actor, job=job, columns=columns)
            if name:
                services.import_mapping_save(
                    actor=self.actor, target=job.target, name=name, columns=columns
                )
        except ValidationError as error:
            mapping_errors_add(form, _name_error_on_form(error))
            return _mapping_page(self, job, form, headers, status=422)
        if name:
            messages.success(request, _("The mapping “%(name)s” was saved.") % {"name": name})
        return _preview_page(self, job, columns, preview=preview)


# --- 4. Commit, progress and result ------------------------------------------------------------


class CommitView(_JobView):
    def post(self, request: HttpRequest, job_uuid: uuid.UUID) -> HttpResponse:
        job = self.job(job_uuid)
        if job.status != ImportStatus.UPLOADED:
            # Already committed (a second click, a reload): its page, not a second import.
            return redirect("imports:job", job_uuid=job.uuid)
        try:
            job = services.import_commit_request(actor=self.actor, job=job)
        except ValidationError as error:
            if not job.columns:
                return redirect("imports:mapping", job_uuid=job.uuid)
            return _preview_page(self, job, dict(job.columns), problems=error.messages)
        return redirect("imports:job", job_uuid=job.uuid)


def _progress_context(job: ImportJob) -> dict[str, Any]:
    return {
        "job": job,
        "running": _running(job),
        "rows_done": _number(job.rows_done),
        "rows_total": _number(job.rows_total),
    }


class JobView(_JobView):
    """The committed import: its progress while it runs, then its result."""

    template_name = "imports/job.html"

    def get(self, request: HttpRequest, job_uuid: uuid.UUID) -> HttpResponse:
        job = self.job(job_uuid)
        if job.status == ImportStatus.UPLOADED:
            return redirect("imports:mapping", job_uuid=job.uuid)
        context = (
            self.context(job)
            | _progress_context(job)
            | {
                "errors": _errors_shown(job.errors or []),
                "errors_total": _number(job.error_count),
                "errors_capped": job.error_count > min(len(job.errors or []), ERRORS_SHOWN),
                "created": _number(job.created_count),
                "updated": _number(job.updated_count),
                "duplicates": _number(job.duplicate_count),
            }
        )
        return render(request, self.template_name, context)


class ProgressView(_JobView):
    """The fragment the job page polls (htmx) while the import runs; once it is over, the page
    reloads itself (HX-Refresh) to show the result, as the release page does."""

    def get(self, request: HttpRequest, job_uuid: uuid.UUID) -> HttpResponse:
        job = self.job(job_uuid)
        response = render(request, "imports/_progress.html", _progress_context(job))
        if not _running(job):
            response["HX-Refresh"] = "true"
        return response

"""The uploaded file and its mapping: keeping the file, its header, the mapping suggested from
its column names or saved by the organisation, and forgetting files that will not be imported."""

import hashlib
import os
from datetime import datetime, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vigie.audit.services import Actor
from vigie.core.crypto import encrypt_bytes

from ..fields import normalised
from ..models import ImportJob, ImportMapping, ImportStatus
from ..targets import target_get
from ._common import _columns_checked, _job_organisation, _organisation, _table, _uploaded

MAPPING_NAME_MAX_LENGTH = 100


@transaction.atomic
def import_upload(*, actor: Actor, target: str, filename: str, content: bytes) -> ImportJob:
    """Keep the file (encrypted) and read its header. ValidationError on "file" when it cannot
    be read: unknown format, not UTF-8, too large, empty, header missing or repeated."""
    spec = target_get(target)
    organisation = _organisation(actor, spec)
    table = _table(filename, content)
    return ImportJob.objects.create(
        organisation=organisation,
        created_by=actor.user,
        target=spec.name,
        filename=os.path.basename(filename)[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        content=encrypt_bytes(content),
        headers=table.headers,
    )


def import_headers(job: ImportJob) -> list[str]:
    return list(job.headers)


def import_mapping_suggest(*, target: str, headers: list[str]) -> dict[str, str]:
    """field -> header, for the headers that name a field (its name, its label in French or
    English, or a usual synonym); each header used once, required fields first."""
    spec = target_get(target)
    named = [(normalised(header), header) for header in headers if header]
    suggestion: dict[str, str] = {}
    used: set[str] = set()
    for spec_field in sorted(spec.fields, key=lambda f: not f.required):
        words = {normalised(spec_field.name), *(normalised(s) for s in spec_field.synonyms)}
        for language in ("fr", "en"):
            with translation.override(language):
                words.add(normalised(str(spec_field.label)))
        # The first matching column in the file's order: the same file, the same suggestion.
        header = next((h for word, h in named if word in words and h not in used), None)
        if header is not None:
            suggestion[spec_field.name] = header
            used.add(header)
    return {f.name: suggestion[f.name] for f in spec.fields if f.name in suggestion}


@transaction.atomic
def import_mapping_save(
    *, actor: Actor, target: str, name: str, columns: dict[str, str]
) -> ImportMapping:
    """Save (or replace) the organisation's mapping of that name."""
    spec = target_get(target)
    organisation = _organisation(actor, spec)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the mapping a name.")})
    if len(name) > MAPPING_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("At most %(limit)s characters.") % {"limit": MAPPING_NAME_MAX_LENGTH}}
        )
    if not all(isinstance(h, str) for h in columns.values()):
        raise ValidationError({NON_FIELD_ERRORS: _("Each field is mapped to a column's name.")})
    headers = [h.strip() for h in columns.values() if h and h.strip()]
    cleaned = _columns_checked(spec, headers, columns)
    mapping, _created = ImportMapping.objects.update_or_create(
        organisation=organisation,
        target=spec.name,
        name=name,
        defaults={"columns": cleaned, "created_by": actor.user},
    )
    return mapping


@transaction.atomic
def import_discard(*, actor: Actor, job: ImportJob) -> None:
    """Forget an uploaded file that will not be imported (its content goes with it)."""
    _job_organisation(actor, job)
    _uploaded(job)
    job.delete()


# An uploaded file nobody imported is forgotten after this long (its content is children's data).
UPLOAD_KEPT_FOR = timedelta(hours=24)


@transaction.atomic
def import_uploads_purge(*, now: datetime | None = None) -> int:
    """Delete the files uploaded more than UPLOAD_KEPT_FOR ago and never imported; empty the
    content of any job that kept it while not waiting to run. Returns the jobs deleted."""
    moment = now or timezone.now()
    deleted, _by_model = ImportJob.objects.filter(
        status=ImportStatus.UPLOADED, created_at__lt=moment - UPLOAD_KEPT_FOR
    ).delete()
    ImportJob.objects.filter(status__in=(ImportStatus.DONE, ImportStatus.FAILED)).exclude(
        content=b""
    ).update(content=b"")
    return deleted

"""`vigie import cases|directory|places|ads FILE --as EMAIL [--mapping M] [--dry-run]`.

Imports a CSV, XLSX or JSON file through the same services as the import pages, synchronously, as
the person named by ``--as`` (their organisation, their permissions, the audit trail under their
name). ``--mapping`` is the name of one of the organisation's saved mappings, or a JSON or YAML
file ``{field: column header}``; without it, the mapping suggested from the headers is used when
it covers the required fields. The report names every bad row and column; the exit code is 1
when the file has errors or the import failed (then nothing was written). ``--dry-run`` checks
and reports without writing anything, not even the job.
"""

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.audit.services import Actor
from vigie.imports import services
from vigie.imports.fields import import_fields
from vigie.imports.models import ImportMapping, ImportStatus, ImportTarget
from vigie.imports.readers import FileUnreadable, table_read
from vigie.imports.targets.base import RowError

REPORTED_ERRORS = 200


class Command(BaseCommand):
    help = (
        "Import case files, directory entries, places or online advertisements from a CSV, "
        "XLSX or JSON file, as a user: "
        "`vigie import cases FILE --as EMAIL --mapping NAME_OR_FILE [--dry-run]`. All or "
        "nothing: a single bad row imports nothing and is named (line and column); exit code 1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("target", choices=[*ImportTarget.values, "purge"])
        parser.add_argument("file", nargs="?", help="A CSV (UTF-8, ; or , separated) or XLSX file.")
        parser.add_argument("--as", dest="email", help="Email of the user importing.")
        parser.add_argument(
            "--mapping",
            help="A saved mapping's name, or a JSON/YAML file {field: column header}.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only, write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        target: str = options["target"]
        if target == "purge":
            count = services.import_uploads_purge()
            self.stdout.write(_("%(count)s uploaded files forgotten.") % {"count": count})
            return
        if not options["file"] or not options["email"]:
            raise CommandError(_("Give the file and the user: FILE --as EMAIL."))
        actor = Actor(self._user(options["email"]))
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as problem:
            raise CommandError(f"{path}: {problem.strerror}") from problem
        try:
            columns = self._columns(actor, target, options["mapping"], path.name, content)
            if options["dry_run"]:
                self._dry_run(actor, target, path.name, content, columns)
            else:
                self._import(actor, target, path.name, content, columns)
        except PermissionDenied as problem:
            raise CommandError(
                _("%(email)s may not import this.") % {"email": options["email"]}
            ) from problem
        except ValidationError as problem:
            raise CommandError(self._validation_text(problem)) from problem

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(_("No active user has the email %(email)s.") % {"email": email})
        return user

    def _columns(
        self, actor: Actor, target: str, mapping: str | None, filename: str, content: bytes
    ) -> dict[str, str]:
        if mapping and Path(mapping).is_file():
            try:
                loaded = yaml.safe_load(Path(mapping).read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as problem:
                raise CommandError(f"{mapping}: {problem}") from problem
            if not isinstance(loaded, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()
            ):
                raise CommandError(
                    _("%(path)s must map field names to column headers.") % {"path": mapping}
                )
            return dict(loaded)
        if mapping:
            organisation = actor.user.organisation if actor.user is not None else None
            saved = ImportMapping.objects.filter(
                organisation=organisation, target=target, name=mapping
            ).first()
            if saved is None:
                raise CommandError(
                    _("No file and no saved mapping is named “%(name)s”.") % {"name": mapping}
                )
            return dict(saved.columns)
        try:
            headers = table_read(filename=filename, content=content).headers
        except FileUnreadable as problem:
            raise CommandError(problem.message) from problem
        suggested = services.import_mapping_suggest(target=target, headers=headers)
        missing = [
            str(f.label) for f in import_fields(target) if f.required and f.name not in suggested
        ]
        if missing:
            raise CommandError(
                _("No column found for %(fields)s: give a mapping (--mapping).")
                % {"fields": ", ".join(missing)}
            )
        self.stderr.write(
            _("Mapping suggested from the headers: %(mapping)s")
            % {"mapping": json.dumps(suggested, ensure_ascii=False)}
        )
        return suggested

    def _errors(self, errors: list[RowError], count: int) -> None:
        for error in errors[:REPORTED_ERRORS]:
            self.stdout.write(str(error))
        if count > REPORTED_ERRORS:
            self.stdout.write(
                _("… and %(count)s more problems.") % {"count": count - REPORTED_ERRORS}
            )

    def _dry_run(
        self, actor: Actor, target: str, filename: str, content: bytes, columns: dict[str, str]
    ) -> None:
        outcome = services.import_direct(
            actor=actor,
            target=target,
            filename=filename,
            content=content,
            columns=columns,
            dry_run=True,
        )
        check = outcome.check
        previous = services.import_previous(actor=actor, target=target, content=content)
        if previous is not None:
            self.stdout.write(self._previous_text(previous))
        self._errors(check.errors, check.error_count)
        summary = _(
            "%(rows)s rows: %(new)s to create, %(updated)s to update, %(duplicates)s already "
            "imported, %(errors)s problems. Dry run: nothing was written."
        ) % {
            "rows": check.rows_total,
            "new": check.new_count,
            "updated": check.match_count,
            "duplicates": check.duplicate_count,
            "errors": check.error_count,
        }
        self.stdout.write(summary)
        if not check.ok:
            raise CommandError(_("The file has errors."))

    def _import(
        self, actor: Actor, target: str, filename: str, content: bytes, columns: dict[str, str]
    ) -> None:
        job = services.import_upload(actor=actor, target=target, filename=filename, content=content)
        try:
            preview = services.import_preview(actor=actor, job=job, columns=columns)
        except ValidationError:
            services.import_discard(actor=actor, job=job)
            raise
        if preview.previous_import is not None:
            self.stdout.write(self._previous_text(preview.previous_import))
        if not preview.ok:
            self._errors(preview.errors, preview.error_count)
            services.import_discard(actor=actor, job=job)
            raise CommandError(
                _("%(count)s problems: nothing was imported.") % {"count": preview.error_count}
            )
        services.import_commit_request(actor=actor, job=job, enqueue=False)
        total = preview.rows_total

        def progress(done: int) -> None:
            self.stderr.write(f"\r{done:,}/{total:,}", ending="")
            self.stderr.flush()

        job = services.import_run(job, progress=progress)
        if sys.stderr.isatty():
            self.stderr.write("")
        if job.status != ImportStatus.DONE:
            self._errors([RowError(**e) for e in job.errors], job.error_count)
            raise CommandError(_("The import failed: nothing was imported."))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(rows)s rows: %(created)s created, %(updated)s updated, %(duplicates)s "
                    "already imported (skipped)."
                )
                % {
                    "rows": job.rows_total,
                    "created": job.created_count,
                    "updated": job.updated_count,
                    "duplicates": job.duplicate_count,
                }
            )
        )

    def _previous_text(self, previous: Any) -> str:
        return _("This file was already imported on %(day)s.") % {
            "day": previous.finished_at.date().isoformat() if previous.finished_at else "?"
        }

    def _validation_text(self, problem: ValidationError) -> str:
        if hasattr(problem, "error_dict"):
            return " ".join(
                f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                for name, messages in problem.message_dict.items()
            )
        return " ".join(problem.messages)

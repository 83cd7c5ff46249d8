"""`vigie retention [--apply] [--today YYYY-MM-DD]`: archive files without contact for 2 years,
and delete online advertisements not linked to a file after six months (issue 10).

A dry run by default: it lists, by organisation, the files that would be archived. Review the
list, then run again with --apply (CNIL deliberation 2022-008; see
vigie/cases/services/retention.py).
"""

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.cases.services.retention import retention_archive, retention_report
from vigie.outreach.services.retention import (
    outreach_retention_purge,
    outreach_retention_report,
)


class Command(BaseCommand):
    help = (
        "Archive case files without contact for VIGIE_RETENTION_DAYS (730: two years). "
        "Delete online advertisements not linked to a case file after "
        "VIGIE_OUTREACH_RETENTION_DAYS (183). Without --apply, only lists them by organisation."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="Archive the files listed (default: dry run)."
        )
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help="Count the period back from this day."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    f"--today: {options['today']!r} is not a date (YYYY-MM-DD)"
                ) from error
        report = retention_report(today=today)
        self.stdout.write(
            f"Case files without contact since before {report.cutoff} "
            f"({settings.VIGIE_RETENTION_DAYS} days): {report.total}"
        )
        for organisation, references in report.references.items():
            self.stdout.write(f"{organisation}: {len(references)}")
            for reference in references:
                self.stdout.write(f"  {reference}")
        ads = outreach_retention_report(today=today)
        self.stdout.write(
            f"Online advertisements not linked to a case file, without activity since before "
            f"{ads.cutoff} ({settings.VIGIE_OUTREACH_RETENTION_DAYS} days): {ads.total}"
        )
        for organisation, references in ads.references.items():
            self.stdout.write(f"{organisation}: {len(references)}")
            for reference in references:
                self.stdout.write(f"  {reference}")
        if not options["apply"]:
            self.stdout.write(
                "Dry run: nothing archived or deleted. Run with --apply to archive the files "
                "and delete the advertisements."
            )
            return
        archived = retention_archive(today=today)
        self.stdout.write(self.style.SUCCESS(f"{archived} case files archived."))
        deleted = outreach_retention_purge(today=today)
        self.stdout.write(self.style.SUCCESS(f"{deleted} online advertisements deleted."))

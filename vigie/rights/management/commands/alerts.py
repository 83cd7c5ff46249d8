"""`vigie alerts [--dry-run] [--today YYYY-MM-DD]`: the daily alert run (cron, once a day)."""

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.rights.digests import (
    alerts_digests_build,
    alerts_digests_send,
    alerts_refresh_candidates,
    alerts_rights_refresh,
)


class Command(BaseCommand):
    help = (
        "Refresh the rights plans that today's date changes, then email each caseworker and "
        "coordinator a digest of their alerts (counts and case references only). "
        "--dry-run changes nothing and sends nothing: it says what would be done."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report only: no refresh, no email."
        )
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help="Run as on this day (default: today)."
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
        if options["dry_run"]:
            candidates = alerts_refresh_candidates(today=today).count()
            self.stdout.write(f"{today}: {candidates} rights plans would be refreshed.")
        else:
            refreshed = alerts_rights_refresh(today=today)
            self.stdout.write(f"{today}: {refreshed} rights plans refreshed.")
        digests = alerts_digests_build(today=today)
        if options["dry_run"]:
            for digest in digests:
                counts = ", ".join(
                    f"{section.kind} {section.total}"
                    for section in digest.view.sections
                    if section.total
                )
                self.stdout.write(f"  {digest.user.email}: {counts}")
            self.stdout.write(f"Dry run: {len(digests)} digests would be sent, none was.")
            return
        sent = alerts_digests_send(digests=digests)
        self.stdout.write(self.style.SUCCESS(f"{sent} digests sent."))

"""`vigie advocacy remind [--dry-run] [--today YYYY-MM-DD]`: e-mail the tracker's editors the
measures overdue or due within 30 days. Run it daily from cron, next to `vigie alerts`."""

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.advocacy.services.reminders import measure_reminders_build, measure_reminders_send


class Command(BaseCommand):
    help = (
        "Recommendations tracker: `vigie advocacy remind` e-mails the editors the measures "
        "overdue or due within 30 days (daily, from cron)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="E-mail the measures due to the editors.")
        remind.add_argument("--dry-run", action="store_true", help="Say, send nothing.")
        remind.add_argument("--today", metavar="YYYY-MM-DD", help="Run as on this day.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    f"--today: {options['today']!r} is not a date (YYYY-MM-DD)"
                ) from error
        reminders = measure_reminders_build(today=today)
        if options["dry_run"]:
            for reminder in reminders:
                self.stdout.write(
                    f"  {reminder.user.email}: {len(reminder.overdue)} overdue, "
                    f"{len(reminder.due_soon)} due soon"
                )
            self.stdout.write(f"Dry run: {len(reminders)} reminders would be sent, none was.")
            return
        sent = measure_reminders_send(reminders=reminders)
        self.stdout.write(self.style.SUCCESS(f"{sent} reminders sent."))

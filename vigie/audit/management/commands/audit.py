from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigie.audit.services import audit_purge, audit_verify


class Command(BaseCommand):
    help = "Audit trail: `vigie audit verify` (detect tampering or gaps), `vigie audit purge`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute the hash chain; exit 1 on any problem.")
        sub.add_parser("purge", help="Delete events older than the retention period.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "purge":
            count = audit_purge()
            self.stdout.write(self.style.SUCCESS(f"Purged {count} expired audit events."))
            return
        problems = audit_verify()
        if problems:
            for problem in problems:
                self.stderr.write(f"event #{problem.sequence}: {problem.problem}")
            raise CommandError(
                f"The audit trail has been tampered with: {len(problems)} problem(s)."
            )
        self.stdout.write(self.style.SUCCESS("Audit trail intact."))

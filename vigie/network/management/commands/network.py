"""`vigie network sweep`: end lapsed place holds and warn holders of those lapsing within a day.

Run it from cron every hour, next to the daily `vigie alerts`, e.g.
``0 * * * *  vigie network sweep``. It is idempotent: a second run changes nothing.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from vigie.network.services.places import place_holds_sweep


class Command(BaseCommand):
    help = (
        "Coordination housekeeping: `vigie network sweep` expires lapsed accommodation-place "
        "holds (their holders are told) and warns, once, the holders of holds lapsing within "
        "24 hours. Run hourly from cron."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sweep", help="Expire lapsed holds; warn holders of holds lapsing soon.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = place_holds_sweep(now=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.expired} holds expired, {report.warned} holders warned of a hold "
                "lapsing within 24 hours."
            )
        )

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from vigie.accounts.models import Organisation
from vigie.demo.data import DEMO_PASSWORD
from vigie.demo.monitoring import demo_release_ensure
from vigie.demo.services import DemoResult, demo_load


class Command(BaseCommand):
    help = "Load fictional demo data: organisations, one account per role, N case files."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=200, help="Number of case files (default 200)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--ads",
            type=int,
            default=0,
            help="Number of synthetic online ads with planted networks (default 0).",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if organisations exist."
        )
        parser.add_argument("--print-logins", action="store_true", help="Print the demo logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 0:
            raise CommandError("--cases: must be zero or more")
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("Database already holds data: demo data not loaded.")
            if options["print_logins"]:
                result = self._load(cases=0, seed=options["seed"])
                self._print_logins(result)
            return
        result = self._load(cases=options["cases"], seed=options["seed"])
        self.stdout.write(
            f"Demo data ready: {result.cases_created} new case files in {result.seconds:.1f} s."
        )
        if result.cases_created and demo_release_ensure():
            self.stdout.write("Demo statistics release published (ε = 1).")
        if options["ads"]:
            self._load_ads(count=options["ads"], seed=options["seed"])
        if options["print_logins"]:
            self._print_logins(result)

    def _load_ads(self, *, count: int, seed: int) -> None:
        from vigie.outreach.demo import demo_ads_load

        if count < 0:
            raise CommandError("--ads: must be zero or more")
        try:
            ads = demo_ads_load(count=count, seed=seed)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        scores = ads.scores
        self.stdout.write(
            f"Demo ads ready: {ads.created} new, {ads.seen_again} seen again, in "
            f"{ads.seconds:.1f} s. Stored clusters against the planted networks: pairwise "
            f"precision {scores.precision:.3f}, recall {scores.recall:.3f} "
            f"({scores.correct_pairs}/{scores.predicted_pairs} pairs right, "
            f"{scores.true_pairs} planted pairs)."
        )

    def _load(self, *, cases: int, seed: int) -> DemoResult:
        try:
            return demo_load(cases=cases, seed=seed)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error

    def _print_logins(self, result: DemoResult) -> None:
        self.stdout.write("")
        self.stdout.write("Demo logins (fictional data only). Password for every account:")
        self.stdout.write(f"    {DEMO_PASSWORD}")
        self.stdout.write("Second factor: add the TOTP secret to an authenticator app, or run")
        self.stdout.write("    .venv/bin/vigie otp-code EMAIL")
        self.stdout.write("")
        for login in result.logins:
            self.stdout.write(
                f"  {login.email:<40} {login.role:<38} {login.organisation:<45} "
                f"TOTP {login.totp_secret_base32}"
            )
        self.stdout.write("")

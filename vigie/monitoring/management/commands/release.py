"""`vigie release create --epsilon E --tables SPEC --out DIR`: compute and publish a release.

Runs in the foreground with its progress on stderr, then writes the CSV and JSON files. The
budget is charged to this year's privacy ledger first: a request that would overspend the
yearly total is refused before anything is read.
"""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.monitoring.release_files import release_files_write
from vigie.monitoring.services.releases import ReleaseRequest, release_compute, release_request
from vigie.monitoring.tables_spec import TableSpecError, tables_parse


class Command(BaseCommand):
    help = (
        "Statistics releases under differential privacy. `vigie release create --epsilon E "
        "--tables SPEC --out DIR` computes one over every participating organisation and writes "
        "its CSV and JSON. SPEC: tables separated by ';', each 'dim' or 'dim1,dim2', or "
        "'pairs:d1,d2,...' (all one- and two-way tables), or 'preset:standard|ctdc|survey'."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Compute, publish and write a release.")
        create.add_argument("--epsilon", type=float, required=True, help="privacy budget ε")
        create.add_argument(
            "--delta", type=float, default=1e-6, help="δ of the Gaussian mechanism (1e-6)"
        )
        create.add_argument("--tables", required=True, help="the tables (see above)")
        create.add_argument("--out", type=Path, required=True, help="folder for the files")
        create.add_argument("--name", default="", help="the release's name")
        create.add_argument(
            "--threshold",
            type=int,
            default=settings.VIGIE_RELEASE_THRESHOLD,
            help="smallest published count (smaller cells are written '< N')",
        )
        create.add_argument(
            "--year",
            type=int,
            default=None,
            help="only the files followed during this year (the annual survey's population)",
        )
        create.add_argument("--seed", type=int, default=None, help="tests only: seeded noise")

    def _progress(self, step: str, fraction: float) -> None:
        sys.stderr.write(f"\r{int(fraction * 100):3d}% {step:<40}")
        sys.stderr.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tables = tables_parse(options["tables"])
        except TableSpecError as problem:
            raise CommandError(f"--tables: {problem}") from problem
        name = options["name"] or f"Vigie {timezone.localdate().isoformat()}"
        request = ReleaseRequest(
            name=name,
            epsilon=options["epsilon"],
            delta=options["delta"],
            tables=tables,
            threshold=options["threshold"],
            followed_in=options["year"],
        )
        try:
            release = release_request(actor=None, request=request, seed=options["seed"])
        except ValidationError as error:
            flags = {"followed_in": "year"}
            problems = "; ".join(
                f"--{flags.get(field, field)}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            )
            raise CommandError(problems) from error
        release_compute(release, progress=self._progress)
        sys.stderr.write("\n")
        for path in release_files_write(release, options["out"]):
            self.stdout.write(str(path))
        self.stdout.write(
            self.style.SUCCESS(
                f"Release {release.uuid} published: {len(release.tables)} tables, "
                f"ε={release.epsilon:g}, δ={release.delta:g}, threshold {release.threshold}."
            )
        )

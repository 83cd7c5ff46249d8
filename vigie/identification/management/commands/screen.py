"""`vigie screen [FILE|-] [--lang fr|en]`: screen a situation given as JSON, print the result."""

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigie.identification.catalogue import load_catalogue
from vigie.identification.engine import ScreeningInputError, screen

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        "Screen a situation (JSON, see vigie/identification/schema/screening-input.schema.json) "
        "and print the result as JSON. Invalid input exits with status 2."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="A JSON file, or - for stdin.")
        parser.add_argument(
            "--lang",
            choices=["fr", "en"],
            default=None,
            help=(
                "Give every text (explanation, labels, rule details) in this language only. "
                "Without it, texts are {fr, en} objects, as the output schema documents."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            raw = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(
                f"file: cannot read {source}: {error.strerror}", returncode=INVALID_INPUT
            ) from error
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"input: not valid JSON (line {error.lineno}, column {error.colno})",
                returncode=INVALID_INPUT,
            ) from error
        try:
            result = screen(data, catalogue=load_catalogue())
        except ScreeningInputError as error:
            raise CommandError(str(error), returncode=INVALID_INPUT) from error
        if options["lang"]:
            result = in_language(result, options["lang"])
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))


def in_language(value: Any, language: str) -> Any:
    """Replace every bilingual text ({"fr": ..., "en": ...}) by its text in ``language``."""
    if isinstance(value, dict):
        if set(value) == {"fr", "en"}:
            return value[language]
        return {key: in_language(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [in_language(item, language) for item in value]
    return value

"""Checks shared by the rule catalogues, versioned YAML files validated at start-up: the
identification indicators, the rights, the signs of a minor, the contact templates.

Each catalogue raises its own error class; every message names the entry and the key, so that a
broken file is mended by reading one line (``signs[3]: key 'why.en': missing``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TypeVar, cast

CATALOGUE_LANGUAGES: tuple[str, ...] = ("fr", "en")
_SLUG = re.compile(r"[a-z][a-z0-9_]*")
_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}")

_Choice = TypeVar("_Choice", bound=str)


@dataclass(frozen=True)
class CatalogueChecks:
    error: type[ValueError]
    # What the messages call a key ("field" in the identification catalogue's messages).
    noun: str = "key"

    def fail(self, entry: str, key: str, problem: str) -> ValueError:
        return self.error(f"{entry}: {self.noun} {key!r}: {problem}")

    def keys(
        self,
        value: object,
        entry: str,
        required: frozenset[str],
        optional: frozenset[str] = frozenset(),
    ) -> dict[str, object]:
        """A mapping holding every required key, and no key but the required and optional."""
        if not isinstance(value, dict):
            raise self.error(f"{entry}: must be a mapping")
        allowed = required | optional
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                raise self.fail(
                    entry, str(key), f"unknown key (expected: {', '.join(sorted(allowed))})"
                )
        for key in sorted(required):
            if key not in value:
                raise self.fail(entry, key, "missing")
        return cast(dict[str, object], value)

    def text(self, value: object, entry: str, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, key, f"must be a non-empty string, got {value!r}")
        return value

    def choice(self, value: object, entry: str, key: str, allowed: tuple[_Choice, ...]) -> _Choice:
        for option in allowed:
            if value == option:
                return option
        raise self.fail(
            entry, key, f"unknown value {value!r} (expected one of: {', '.join(allowed)})"
        )

    def languages(self, value: object, entry: str, key: str) -> dict[str, str]:
        """A {fr: ..., en: ...} mapping: both languages, non-empty, and nothing else."""
        if not isinstance(value, dict):
            raise self.fail(entry, key, "must be a mapping with 'fr' and 'en'")
        for language in value:
            if language not in CATALOGUE_LANGUAGES:
                raise self.fail(entry, f"{key}.{language}", "unknown language (expected fr and en)")
        texts: dict[str, str] = {}
        for language in CATALOGUE_LANGUAGES:
            if language not in value:
                raise self.fail(entry, f"{key}.{language}", "missing")
            texts[language] = self.text(value[language], entry, f"{key}.{language}")
        return texts

    def version(self, value: object) -> str:
        """The date of the catalogue's last change, YYYY-MM-DD."""
        # An unquoted 2026-12-04 reads as a date in YAML: accept it, keep the same text.
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if not isinstance(value, str) or not _VERSION.fullmatch(value):
            raise self.fail("catalogue", "version", f"must be a date YYYY-MM-DD, got {value!r}")
        return value

    def sources(self, value: object) -> dict[str, str]:
        """Source id -> citation (every rule cites one of them)."""
        if not isinstance(value, dict) or not value:
            raise self.fail("catalogue", "sources", "must be a non-empty mapping of id to citation")
        sources: dict[str, str] = {}
        for source_id, citation in value.items():
            if not isinstance(source_id, str) or not _SLUG.fullmatch(source_id):
                raise self.fail(
                    "sources", str(source_id), "id must be lowercase letters, digits and _"
                )
            sources[source_id] = self.text(citation, "sources", source_id)
        return sources

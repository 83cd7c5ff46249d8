"""The fields a file's columns can be mapped to, and how a cell becomes a value.

A parser gets a cell already stripped and never empty (an empty cell takes the field's default,
or is refused for a required field before the parser is called); it returns the typed value or
raises ValidationError with a message for the person who made the file: what is wrong and what
is accepted. Spreadsheets are written by people, in French: « fille », « oui », « 12/03/2009 »,
« Nigéria » are understood as well as the codes.
"""

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.core.crypto import normalise_for_index
from vigie.monitoring.countries import countries_load
from vigie.network.departements import departement_get

LIST_SEPARATORS = re.compile(r"[;,|\n]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_FRENCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
EARLIEST_YEAR = 1900
TEXT_MAX_LENGTH = 200


def _keep(value: str) -> str:
    return value


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, date):
        return str(formats.date_format(value, "SHORT_DATE_FORMAT"))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class ImportField:
    """A field a column can be mapped to. ``help`` says which values are accepted."""

    name: str
    label: Promise
    required: bool
    help: Promise
    parse: Callable[[str], Any] = field(default=_keep, compare=False, repr=False)
    # The value of an empty cell, or of a field no column is mapped to.
    default: Any = ""
    # How a parsed value is shown in the preview.
    display: Callable[[Any], str] = field(default=_shown, compare=False, repr=False)
    # Other headers that usually name this column (lower case, without accents).
    synonyms: tuple[str, ...] = ()


def import_fields(target: str) -> list[ImportField]:
    """The fields of a target, in the order a form shows them."""
    from .targets import target_get

    return list(target_get(target).fields)


# --- Parsers -----------------------------------------------------------------------------------


def normalised(value: str) -> str:
    """Case, accents and spacing aside: how headers and words are compared."""
    return normalise_for_index(value.replace("_", " ").replace("-", " ").replace("’", "'"))


def text_parser(max_length: int = TEXT_MAX_LENGTH) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        if len(cell) > max_length:
            raise ValidationError(
                _("At most %(limit)s characters (%(count)s given).")
                % {"limit": max_length, "count": len(cell)}
            )
        return cell

    return parse


def date_parse(cell: str) -> date:
    """ISO (2009-03-12) or French (12/03/2009, 12-03-2009, 12.03.2009)."""
    match = _ISO_DATE.match(cell)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _FRENCH_DATE.match(cell)
        if match is None:
            raise ValidationError(
                _("“%(value)s” is not a date: write it as DD/MM/YYYY or YYYY-MM-DD.")
                % {"value": cell}
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        value = date(year, month, day)
    except ValueError as problem:
        raise ValidationError(_("“%(value)s”: this date does not exist.") % {"value": cell}) from (
            problem
        )
    if year < EARLIEST_YEAR:
        raise ValidationError(
            _("“%(value)s”: a date before %(year)s is not plausible.")
            % {"value": cell, "year": EARLIEST_YEAR}
        )
    return value


def year_parse(cell: str) -> int:
    if not cell.isdigit() or len(cell) != 4:
        raise ValidationError(_("“%(value)s” is not a year: write it as 2009.") % {"value": cell})
    year = int(cell)
    today = date.today()  # noqa: DTZ011 - a plausibility bound, a day either way is irrelevant
    if not EARLIEST_YEAR <= year <= today.year:
        raise ValidationError(
            _("“%(value)s”: the year must be between %(first)s and %(last)s.")
            % {"value": cell, "first": EARLIEST_YEAR, "last": today.year}
        )
    return year


def integer_parser(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(cell: str) -> int:
        text = cell.replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if not text.lstrip("-").isdigit():
            raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": cell})
        number = int(text)
        if not minimum <= number <= maximum:
            raise ValidationError(
                _("%(value)s: the number must be between %(minimum)s and %(maximum)s.")
                % {"value": number, "minimum": minimum, "maximum": maximum}
            )
        return number

    return parse


_TRUE = ("oui", "o", "yes", "y", "vrai", "true", "1", "x")
_FALSE = ("non", "n", "no", "faux", "false", "0")


def bool_parse(cell: str) -> bool:
    word = normalised(cell)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValidationError(_("“%(value)s”: write “oui” or “non”.") % {"value": cell})


@functools.cache
def _choice_words(
    choices: type[models.TextChoices], extra: tuple[tuple[str, str], ...]
) -> dict[str, str]:
    """Every way of writing a choice: its code, and its label in French and in English."""
    words: dict[str, str] = {}
    for language in ("en", "fr"):
        with translation.override(language):
            for value, label in choices.choices:
                words[normalised(str(label))] = value
    for value in choices.values:
        words[normalised(value)] = value
    for word, value in extra:
        words[normalised(word)] = value
    return words


def _allowed(choices: type[models.TextChoices]) -> str:
    return ", ".join(f"{label}" for label in choices.labels)


def choice_parser(
    choices: type[models.TextChoices],
    extra: Mapping[str, str] | None = None,
    only: Iterable[str] | None = None,
) -> Callable[[str], str]:
    """A choice written as its code, its label (French or English) or a common synonym."""
    synonyms = tuple(sorted((extra or {}).items()))
    allowed = set(only) if only is not None else set(choices.values)

    def parse(cell: str) -> str:
        value = _choice_words(choices, synonyms).get(normalised(cell))
        if value is None or value not in allowed:
            labels = [str(label) for value, label in choices.choices if value in allowed]
            raise ValidationError(
                _("“%(value)s” is not known. Write one of: %(allowed)s.")
                % {"value": cell, "allowed": "; ".join(labels)}
            )
        return value

    return parse


def list_parser(
    parse_one: Callable[[str], str], *, ordered: bool = True
) -> Callable[[str], list[str]]:
    """Several values in one cell, separated by “;”, “,” or “|”; every one is checked. Sorted
    (``ordered``), or in the cell's order."""

    def parse(cell: str) -> list[str]:
        values: list[str] = []
        problems: list[str] = []
        for part in LIST_SEPARATORS.split(cell):
            part = part.strip()
            if not part:
                continue
            try:
                value = parse_one(part)
            except ValidationError as error:
                problems.extend(error.messages)
                continue
            if value not in values:
                values.append(value)
        if problems:
            raise ValidationError(problems)
        return sorted(values) if ordered else values

    return parse


@functools.cache
def _country_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for code, country in countries_load().countries.items():
        for word in (code, country.alpha3, country.name_fr, country.name_en):
            words[normalised(word)] = code
    return words


def country_parse(cell: str) -> str:
    """ISO 3166 alpha-2 or alpha-3 code, or the country's name in French or English."""
    code = _country_words().get(normalised(cell))
    if code is None:
        raise ValidationError(
            _("“%(value)s” is not a known country: give its ISO code (e.g. NG) or its name.")
            % {"value": cell}
        )
    return code


def departement_parse(cell: str) -> str:
    # Spreadsheets turn "06" into 6: a single digit is a département code that lost its zero.
    value = "0" + cell if len(cell) == 1 and cell.isdigit() else cell.upper()
    departement = departement_get(value)
    if departement is None:
        raise ValidationError(
            _("Unknown département “%(value)s”: give its code, e.g. 75, 2A or 974.")
            % {"value": cell}
        )
    return departement.code


def choice_display(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    def display(value: Any) -> str:
        labels = dict(choices.choices)
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value or ""))

    return display


# Help texts shared by several targets.
HELP_TEXT = gettext_lazy("Free text.")
HELP_DATE = gettext_lazy("A date: DD/MM/YYYY or YYYY-MM-DD.")
HELP_BOOL = gettext_lazy("“oui” or “non” (empty: no).")
HELP_DEPARTEMENT = gettext_lazy("The département's code: 75, 2A, 974…")

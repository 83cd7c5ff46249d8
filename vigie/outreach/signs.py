"""Signs that an online advertisement may concern a minor: the evaluation of an ad.

Seed 000 §III.4: prostitution of minors has moved online; outreach teams (Amicale du Nid) find
escort ads, contact the person and report to Pharos, and the minors they found were on average
14 to 16 while the sites do not check the age declared. A worker reading hundreds of ads needs the
ones that may concern a minor first, each sign shown with why it matters. The signs are data,
loaded and validated by :mod:`vigie.outreach.signs_catalogue`.

Pure functions and dataclasses, no database. Texts for the worker come from the catalogue in both
languages (``label``/``why`` pick the active one); the few words built here go through gettext.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigie.outreach.signs_catalogue import (
    DEFAULT_PATH,
    KINDS,
    MAJORITY_AGE,
    PRIORITY_NONE,
    PRIORITY_STRONG,
    WEIGHT_PRIORITY,
    Kind,
    Sign,
    SignsCatalogue,
    SignsCatalogueError,
    Weight,
    fold_with_positions,
    signs_catalogue,
    signs_catalogue_check,
    signs_catalogue_load,
    signs_catalogue_parse,
)

# The catalogue's public names, importable from here as before the split.
__all__ = [
    "DEFAULT_PATH",
    "KINDS",
    "AdSigns",
    "SignMatch",
    "SignsCatalogue",
    "SignsCatalogueError",
    "signs_catalogue",
    "signs_catalogue_check",
    "signs_catalogue_load",
    "signs_catalogue_parse",
    "signs_for_ad",
]


def _active(texts: dict[str, str]) -> str:
    language = (get_language() or "fr")[:2]
    return texts.get(language, texts["fr"])


@dataclass(frozen=True)
class SignMatch:
    """One sign found in an ad, with what was found (as written in the ad)."""

    sign: Sign
    found: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.sign.id

    @property
    def kind(self) -> Kind:
        return self.sign.kind

    @property
    def weight(self) -> Weight:
        return self.sign.weight

    @property
    def label(self) -> str:
        """The sign's name in the active language."""
        return _active(self.sign.label)

    @property
    def why(self) -> str:
        """Why the sign matters, with its source, in the active language."""
        return _active(self.sign.why)

    @property
    def evidence(self) -> str | Promise:
        """What the worker is shown as the reason this sign was raised on this ad."""
        found = ", ".join(self.found)
        if self.kind == "declared_age":
            return _("Declared age: %(found)s") % {"found": found}
        if self.kind == "emoji":
            return _("Emoji in the ad: %(found)s") % {"found": found}
        if self.kind == "worker_judgement":
            return _("Ticked by the worker")
        return _("Found in the text: %(found)s") % {"found": found}


@dataclass(frozen=True)
class AdSigns:
    """The signs of one ad, strongest first, and its place in the worker's list."""

    signs: tuple[SignMatch, ...]
    declared_age: int | None
    declared_minor: bool
    priority: int  # 0 none, 1 weak, 2 medium, 3 strong or declared minor: sort descending
    catalogue_version: str

    @property
    def sign_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.signs)


def signs_for_ad(
    *,
    text: str,
    declared_age: int | None,
    worker_flags: set[str] | frozenset[str],
    catalogue: SignsCatalogue | None = None,
) -> AdSigns:
    """Evaluate an ad against the catalogue (the bundled one unless given).

    ``worker_flags`` are the boxes the worker ticked (``catalogue.worker_flags``); an unknown one
    is an error, not ignored: a misspelt flag would silently drop the worker's judgement.
    """
    catalogue = catalogue or signs_catalogue()
    if declared_age is not None and (
        isinstance(declared_age, bool) or not isinstance(declared_age, int) or declared_age < 0
    ):
        raise ValueError(f"declared_age must be a whole number of years or None: {declared_age!r}")
    unknown = set(worker_flags) - catalogue.worker_flags
    if unknown:
        raise ValueError(
            f"unknown worker flag(s) {', '.join(sorted(unknown))} "
            f"(expected: {', '.join(sorted(catalogue.worker_flags))})"
        )
    folded, origins = fold_with_positions(text)
    ad_code_points = set(text)
    matches: list[SignMatch] = []
    age_signs: list[Sign] = []
    for sign in catalogue.signs.values():
        found: tuple[str, ...] = ()
        if sign.kind == "declared_age":
            age_signs.append(sign)
            continue
        if sign.matcher is not None:
            found = _found_in_text(sign.matcher, text, folded, origins)
        elif sign.emojis:
            # By code point: a girl with a skin tone is U+1F467 then a modifier (U+1F3FB to
            # U+1F3FF), a pencil emoji U+270F then U+FE0F: the base code point is in the text.
            present = sign.emojis & ad_code_points
            found = tuple(sorted(present, key=text.index))
        elif sign.flag in worker_flags:
            found = (sign.flag,)
        if found:
            matches.append(SignMatch(sign=sign, found=found))
    if declared_age is not None:
        # "18 with other signs" (issue 10) needs the other signs first: age signs come last.
        other_signs = bool(matches)
        for sign in age_signs:
            rule = sign.age
            if rule and rule.covers(declared_age) and (other_signs or not rule.with_other_sign):
                matches.append(SignMatch(sign=sign, found=(str(declared_age),)))
    declared_minor = declared_age is not None and declared_age < MAJORITY_AGE
    order = list(catalogue.signs)
    matches.sort(key=lambda m: (-WEIGHT_PRIORITY[m.weight], order.index(m.id)))
    priority = max((WEIGHT_PRIORITY[m.weight] for m in matches), default=PRIORITY_NONE)
    if declared_minor:
        priority = PRIORITY_STRONG
    return AdSigns(
        signs=tuple(matches),
        declared_age=declared_age,
        declared_minor=declared_minor,
        priority=priority,
        catalogue_version=catalogue.version,
    )


def _found_in_text(
    matcher: re.Pattern[str], text: str, folded: str, origins: list[int]
) -> tuple[str, ...]:
    found: list[str] = []
    for match in matcher.finditer(folded):
        start, end = match.span()
        if start == end:
            continue
        excerpt = text[origins[start] : origins[end - 1] + 1]
        if excerpt not in found:
            found.append(excerpt)
    return tuple(found)

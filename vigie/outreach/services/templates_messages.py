"""Contact templates: the catalogue of default first messages, their variables, and rendering.

The catalogue (``catalogue/contact_templates.yaml``) is validated like the signs catalogue: a
broken file stops start-up with a message naming the template, the language and the key. An
organisation gets its own editable copies the first time it uses templates
(:func:`templates_ensure_defaults`). The coordinators' changes go through
vigie/outreach/services/contacts.py.

Seed 000 §III.4: the worker copies the message into WhatsApp, Snapchat or Instagram; Vigie sends
nothing. The phone may be read by the exploiter, so no message (default or edited) may contain
a word that tells what it is about (``unsafe_words``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.core.catalogue_checks import CatalogueChecks
from vigie.core.data_files import yaml_file_read

from ..models import Advertisement, ContactTemplate, OutreachSettings
from .hotline import hotline_display

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "catalogue" / "contact_templates.yaml"

# The variables a message may use, and what each stands for (shown to coordinators).
VARIABLES: dict[str, object] = {
    "hotline": gettext_lazy("the organisation's hotline number"),
    "organisation": gettext_lazy("the organisation's name"),
    "signature": gettext_lazy("the signature set in the outreach settings"),
    "pseudonym": gettext_lazy("the first pseudonym of the advertisement"),
}
NAME_LANGUAGES: tuple[str, ...] = ("fr", "en")
# Whoever reads a message sees a missing value as this marker, so that nobody sends "call us
# on ." without noticing: the worker fills it in or asks a coordinator to set the value.
MISSING_MARKER = "[{name}]"

_ROOT_KEYS = frozenset({"version", "languages", "unsafe_words", "templates"})
_TEMPLATE_KEYS = frozenset({"id", "name", "messages"})
_SLUG = re.compile(r"[a-z][a-z0-9_]*")
# "{{" and "}}" are literal braces; "{name}" a variable; a brace left alone is an error.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_ESCAPES = {"{{": "{", "}}": "}"}
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'"}


# --- Languages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageLanguage:
    code: str
    bidi: bool

    @property
    def name(self) -> str:
        """In the reader's language ("Roumain"): Django's catalogue translates language names."""
        return gettext(LANG_INFO[self.code]["name"])

    @property
    def name_local(self) -> str:
        return str(LANG_INFO[self.code]["name_local"])

    @property
    def direction(self) -> str:
        return "rtl" if self.bidi else "ltr"


def message_language(code: str) -> MessageLanguage:
    """A language code of the catalogue (or any Django knows), with its name and direction."""
    info = LANG_INFO.get(code)
    if info is None or "name" not in info:
        return MessageLanguage(code=code, bidi=False)
    return MessageLanguage(code=code, bidi=bool(info.get("bidi", False)))


def template_languages() -> tuple[str, ...]:
    """The languages a template may be written in: those of the catalogue, in its order."""
    return contact_templates_catalogue().languages


def template_languages_order() -> dict[str, int]:
    return {code: position for position, code in enumerate(template_languages())}


# --- Rendering ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedMessage:
    text: str
    # Variables the message uses that have no value: they show as "[hotline]" in the text.
    missing: tuple[str, ...]

    def __str__(self) -> str:
        return self.text


def template_variables_used(body: str) -> list[str]:
    """The variables a body uses, in order; ValidationError naming an unknown one or a lone
    brace (a coordinator's typo must not reach the person as "{hotlin}")."""
    used: list[str] = []
    for match in _TOKEN.finditer(body):
        if match.group(0) in _ESCAPES:
            continue
        name = match.group(1)
        if name is None:
            raise ValidationError(
                _(
                    "A brace is left alone: write {{ or }} for a brace, or a variable such as "
                    "{hotline}."
                ),
                code="lone_brace",
            )
        if name not in VARIABLES:
            raise ValidationError(
                _("Unknown variable {%(name)s}: use %(known)s.")
                % {"name": name, "known": ", ".join(f"{{{v}}}" for v in VARIABLES)},
                code="unknown_variable",
                params={"name": name},
            )
        if name not in used:
            used.append(name)
    return used


def template_render(body: str, variables: dict[str, str]) -> RenderedMessage:
    """The message with its variables filled in. A variable without a value stays visible as
    "[hotline]" and is listed in ``missing``; an unknown one is a ValidationError naming it."""
    template_variables_used(body)
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        piece = match.group(0)
        if piece in _ESCAPES:
            return _ESCAPES[piece]
        name = match.group(1)
        value = (variables.get(name) or "").strip()
        if not value:
            if name not in missing:
                missing.append(name)
            return MISSING_MARKER.format(name=name)
        return value

    return RenderedMessage(text=_TOKEN.sub(fill, body), missing=tuple(missing))


def _fold(text: str) -> str:
    text = "".join(_APOSTROPHES.get(c, c) for c in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _unsafe_found(word: str, folded_text: str) -> bool:
    # Whole words, plural included ("victimes"), so that "reporter" is not "report".
    pattern = r"(?<!\w)" + re.escape(_fold(word)) + r"(?:e?s)?(?!\w)"
    return re.search(pattern, folded_text) is not None


def template_unsafe_words(body: str) -> list[str]:
    """The catalogue's unsafe words found in a message (any language, ignoring case and
    accents, whole words only)."""
    folded = _fold(body)
    return [
        word for word in contact_templates_catalogue().unsafe_words if _unsafe_found(word, folded)
    ]


def template_body_check(body: str) -> None:
    """What a coordinator's message must respect; ValidationError on ``body``."""
    if not body.strip():
        raise ValidationError({"body": _("Write the message.")})
    try:
        template_variables_used(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from error
    unsafe = template_unsafe_words(body)
    if unsafe:
        raise ValidationError(
            {
                "body": _(
                    "The message contains %(words)s: someone else may read the phone, and these "
                    "words would tell them what the message is about."
                )
                % {"words": ", ".join(f"« {w} »" for w in unsafe)}
            }
        )


def template_variables_for(
    *, organisation: Organisation, ad: Advertisement | None = None
) -> dict[str, str]:
    """The values of the variables for a message about this ad."""
    outreach = OutreachSettings.objects.filter(organisation=organisation).first()
    pseudonyms = ad.pseudonym_list if ad is not None else []
    return {
        "hotline": hotline_display(outreach.hotline) if outreach else "",
        "organisation": organisation.name,
        "signature": outreach.signature if outreach else "",
        "pseudonym": pseudonyms[0] if pseudonyms else "",
    }


# --- Catalogue ----------------------------------------------------------------------------------


class ContactTemplatesCatalogueError(ValueError):
    """The catalogue file is unreadable or breaks a rule; the message names the entry and key."""


# The checks every catalogue makes (vigie/core/catalogue_checks.py).
_CHECKS = CatalogueChecks(ContactTemplatesCatalogueError)
_fail = _CHECKS.fail
_keys = _CHECKS.keys
_text = _CHECKS.text


@dataclass(frozen=True)
class CatalogueTemplate:
    id: str
    name: dict[str, str]
    messages: dict[str, str]  # language code -> body

    def name_for(self, language: str) -> str:
        return self.name.get(language[:2]) or self.name["en"]


@dataclass(frozen=True)
class ContactTemplatesCatalogue:
    version: str
    languages: tuple[str, ...]
    unsafe_words: tuple[str, ...]
    templates: tuple[CatalogueTemplate, ...]


def contact_templates_catalogue() -> ContactTemplatesCatalogue:
    """The bundled catalogue, loaded and validated once, then cached."""
    return _load_bundled()


def contact_templates_check() -> None:
    """Validate the bundled catalogue at start-up: fail fast, by name."""
    contact_templates_catalogue()


def contact_templates_load(path: Path) -> ContactTemplatesCatalogue:
    return contact_templates_parse(yaml_file_read(Path(path), error=ContactTemplatesCatalogueError))


@functools.cache
def _load_bundled() -> ContactTemplatesCatalogue:
    return contact_templates_load(DEFAULT_PATH)


def contact_templates_parse(data: object) -> ContactTemplatesCatalogue:
    """Validate already-parsed YAML data (the tests build broken catalogues with it)."""
    root = _keys(data, "catalogue", _ROOT_KEYS)
    version = _CHECKS.version(root["version"])
    languages = _languages(root["languages"])
    unsafe_words = _unsafe_words(root["unsafe_words"], languages)
    raw_templates = root["templates"]
    if not isinstance(raw_templates, list) or not raw_templates:
        raise _fail("catalogue", "templates", "must be a non-empty list")
    templates: list[CatalogueTemplate] = []
    for position, item in enumerate(raw_templates):
        template = _template(item, position, languages, unsafe_words)
        if any(t.id == template.id for t in templates):
            raise _fail(f"template {template.id!r}", "id", "duplicate id")
        templates.append(template)
    return ContactTemplatesCatalogue(
        version=version,
        languages=languages,
        unsafe_words=unsafe_words,
        templates=tuple(templates),
    )


def _languages(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail("catalogue", "languages", "must be a non-empty list of language codes")
    codes: list[str] = []
    for position, code in enumerate(value):
        if not isinstance(code, str) or "name" not in LANG_INFO.get(code, {}):
            raise _fail("catalogue", f"languages[{position}]", f"unknown language code {code!r}")
        if code in codes:
            raise _fail("catalogue", f"languages[{position}]", f"{code!r} is listed twice")
        codes.append(code)
    for required in NAME_LANGUAGES:
        if required not in codes:
            raise _fail("catalogue", "languages", f"must include {required!r}")
    return tuple(codes)


def _unsafe_words(value: object, languages: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(value, dict):
        raise _fail("catalogue", "unsafe_words", "must be a mapping of language to words")
    words: list[str] = []
    for language, items in value.items():
        if language not in languages:
            raise _fail("unsafe_words", str(language), "not a language of the catalogue")
        if not isinstance(items, list) or not items:
            raise _fail("unsafe_words", str(language), "must be a non-empty list of words")
        for position, word in enumerate(items):
            words.append(_text(word, "unsafe_words", f"{language}[{position}]").strip())
    return tuple(dict.fromkeys(words))


def _template(
    item: object, position: int, languages: tuple[str, ...], unsafe_words: tuple[str, ...]
) -> CatalogueTemplate:
    entry = f"templates[{position}]"
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        entry = f"template {item['id']!r}"
    fields = _keys(item, entry, _TEMPLATE_KEYS)
    template_id = _text(fields["id"], entry, "id")
    if not _SLUG.fullmatch(template_id):
        raise _fail(entry, "id", "must be lowercase letters, digits and _")
    names = fields["name"]
    if not isinstance(names, dict) or set(names) != set(NAME_LANGUAGES):
        raise _fail(entry, "name", "must be a mapping with exactly 'fr' and 'en'")
    name = {code: _text(names[code], entry, f"name.{code}") for code in NAME_LANGUAGES}
    messages = fields["messages"]
    if not isinstance(messages, dict):
        raise _fail(entry, "messages", "must be a mapping of language to message")
    bodies: dict[str, str] = {}
    for language in messages:
        if language not in languages:
            raise _fail(entry, f"messages.{language}", "not a language of the catalogue")
    for language in languages:
        key = f"messages.{language}"
        if language not in messages:
            raise _fail(entry, key, "missing: every template exists in every language")
        body = _text(messages[language], entry, key).strip()
        try:
            template_variables_used(body)
        except ValidationError as error:
            raise _fail(entry, key, " ".join(error.messages)) from error
        folded = _fold(body)
        for word in unsafe_words:
            if _unsafe_found(word, folded):
                raise _fail(entry, key, f"contains the unsafe word {word!r}")
        bodies[language] = body
    return CatalogueTemplate(id=template_id, name=name, messages=bodies)


# --- An organisation's copies ---------------------------------------------------------------


@transaction.atomic
def templates_ensure_defaults(
    organisation: Organisation, *, actor: Actor | None = None
) -> list[ContactTemplate]:
    """Copy the catalogue into the organisation's templates the first time it uses templates
    (it has none yet); afterwards its coordinators' copies are left alone. Returns those made."""
    # Two first uses at once must not both copy: the organisation's row serialises them.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if ContactTemplate.objects.filter(organisation=organisation).exists():
        return []
    catalogue = contact_templates_catalogue()
    created_by = actor.user if actor else None
    made = ContactTemplate.objects.bulk_create(
        ContactTemplate(
            organisation=organisation,
            name=template.name_for(settings.LANGUAGE_CODE),
            language=language,
            body=body,
            created_by=created_by,
        )
        for template in catalogue.templates
        for language, body in template.messages.items()
    )
    audit_record(
        actor=actor,
        action=AuditAction.OUTREACH_TEMPLATE_CHANGE,
        objects=made,
        reason_code="defaults",
    )
    return made

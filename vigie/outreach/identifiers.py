"""Normalisation of the identifiers that link online advertisements: phones, handles, texts.

Outreach teams (seed 000 §III.4: prostitution of minors moved online) find the same person or the
same network behind many ads only if the same phone written "06.12.34.56.78" and "+33612345678",
or the same Snapchat account written "@Lea_x" and "snapchat.com/add/lea_x", compare equal. These
pure functions produce the canonical keys the clustering engine joins on; they never touch the
database nor the network.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers

__all__ = [
    "HANDLE_PLATFORMS",
    "handle_normalise",
    "phone_normalise",
    "phones_in_text",
    "text_fingerprint_tokens",
]

# Platforms named by the issue (WhatsApp, Snapchat, Instagram) plus the ones ads commonly point to.
# The value lists the host names whose URLs designate an account on that platform.
HANDLE_PLATFORMS: dict[str, tuple[str, ...]] = {
    "instagram": ("instagram.com", "instagr.am"),
    "snapchat": ("snapchat.com",),
    "telegram": ("t.me", "telegram.me"),
    "tiktok": ("tiktok.com",),
    "twitter": ("twitter.com", "x.com"),
    "whatsapp": ("wa.me", "whatsapp.com", "api.whatsapp.com"),
}

# Path segments that are part of a platform's URL scheme, not of the account name.
_URL_NOISE_SEGMENTS = frozenset({"add", "u", "user", "users", "send", "p", "channel", "s"})
_HANDLE_CHARS = re.compile(r"[^a-z0-9._\-]")

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9.\-]+\.(?:com|fr|me|net|org|am|ly)/\S*")
_AT_HANDLE = re.compile(r"@[\w.\-]+")
# Eight or more digits possibly separated by spaces, dots, dashes or slashes: a phone number for the
# fingerprint's purpose (phones are linked on their own, they must not make texts look alike).
_PHONE_LIKE = re.compile(r"(?:\+|\b00)?\d(?:[\s.\-/]?\d){7,}")
_WORD = re.compile(r"[a-z0-9]+")
_SHINGLE_WORDS = 3


def phone_normalise(raw: str, default_region: str = "FR") -> str | None:
    """Return the E.164 form of a phone number as written in an ad, or None if it is not one.

    National forms ("06 12 34 56 78", "06.12.34.56.78") are read in ``default_region``; "+33" and
    "0033" prefixes and foreign numbers written with their country code are kept as such.

    Accepts numbers that are *possible* (right length for their country), not only *valid* (inside
    a block libphonenumber knows as allocated): ads use freshly opened ranges before the metadata
    lists them, and a false acceptance only links ads that carry the very same digits.
    """
    if not raw or not any(ch.isdigit() for ch in raw):
        return None
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones_in_text(text: str, default_region: str = "FR") -> list[str]:
    """Return the phone numbers written in an ad's free text, E.164, in order of first appearance.

    Ads hide their number in the description rather than in a contact field (platforms filter the
    latter), so outreach must look for them in the text. Leniency is POSSIBLE, as in
    :func:`phone_normalise`; prices, dates and postcodes are too short to match.
    """
    found: dict[str, None] = {}
    matcher = phonenumbers.PhoneNumberMatcher(
        text, default_region, leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        found.setdefault(
            phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        )
    return list(found)


def _handle_from_url(raw: str) -> tuple[str | None, str | None]:
    """Split an account URL into (platform, account) if its host is a known platform."""
    candidate = raw if "://" in raw else "https://" + raw
    parts = urlsplit(candidate)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    platform = next((name for name, hosts in HANDLE_PLATFORMS.items() if host in hosts), None)
    if platform is None:
        return None, None
    segments = [s for s in parts.path.split("/") if s and s not in _URL_NOISE_SEGMENTS]
    if platform == "whatsapp" and not segments:
        # api.whatsapp.com/send?phone=33612345678
        for pair in parts.query.split("&"):
            key, _sep, value = pair.partition("=")
            if key == "phone" and value:
                return platform, value
        return platform, None
    return platform, (segments[0] if segments else None)


def handle_normalise(platform: str, raw: str) -> str | None:
    """Return ``platform:account`` for an account written as a name, an "@name" or a profile URL.

    Case and a leading "@" are dropped because platforms treat them as the same account. A URL of
    another known platform wins over ``platform`` (an ad's "Snap" field holding an Instagram link
    designates the Instagram account). WhatsApp accounts are phone numbers: the result is
    ``whatsapp:+33612345678`` so that it also meets the phone written elsewhere in the ad.
    """
    platform = platform.strip().lower()
    value = raw.strip()
    if not value:
        return None
    lowered = value.lower()
    if "/" in lowered or lowered.startswith(("http", "www.")):
        url_platform, account = _handle_from_url(lowered)
        if url_platform is not None:
            platform = url_platform
            if account is None:
                return None
            value = account
    if platform == "whatsapp":
        digits = value if value.startswith(("+", "0")) else "+" + value
        phone = phone_normalise(digits)
        return f"whatsapp:{phone}" if phone else None
    account = _HANDLE_CHARS.sub("", value.lower().lstrip("@"))
    if not account or not platform:
        return None
    return f"{platform}:{account}"


def _fold(text: str) -> str:
    """Lower-case and strip accents ("Très" and "tres" must give the same shingles)."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def text_fingerprint_tokens(text: str) -> set[str]:
    """Return the word 3-shingles of an ad's text, normalised, for MinHash near-duplicate search.

    Why word 3-shingles rather than character 5-shingles: a network's ads are copies of one
    template where a name, a city or a price changes; word shingles keep the word order that
    makes a template recognisable, and an ad of 60 words yields about 60 shingles instead of about
    350 character shingles, which is what lets 1,000,000 ads be signed in minutes. The cost is
    that very short texts have few shingles: the clustering ignores texts below a minimum count.

    URLs, "@handles" and phone numbers are removed first: they are linked on their own, and left
    in they would make two unrelated ads of one platform look alike (or hide a copied text behind a
    changed number). Texts of one or two words yield one token (the words themselves).
    """
    folded = _fold(text)
    folded = _URL.sub(" ", folded)
    folded = _AT_HANDLE.sub(" ", folded)
    folded = _PHONE_LIKE.sub(" ", folded)
    words = _WORD.findall(folded)
    if len(words) < _SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + _SHINGLE_WORDS]) for i in range(len(words) - _SHINGLE_WORDS + 1)}

"""Normalisation of phones, handles and texts: the keys ads are linked on (seed 000 §III.4)."""

import phonenumbers
import pytest

from vigie.outreach.identifiers import (
    handle_normalise,
    phone_normalise,
    phones_in_text,
    text_fingerprint_tokens,
)


@pytest.mark.parametrize(
    "raw",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+33 (0)6 12 34 56 78",
        "06-12-34-56-78",
    ],
)
def test_french_mobile_formats_give_one_e164(raw):
    assert phone_normalise(raw) == "+33612345678"


def test_foreign_numbers_keep_their_country_code():
    assert phone_normalise("+44 20 7946 0958") == "+442079460958"
    assert phone_normalise("0044 7911 123456") == "+447911123456"
    # A national form is read in the region given.
    assert phone_normalise("020 7946 0958", default_region="GB") == "+442079460958"


@pytest.mark.parametrize("raw", ["", "hello", "12", "06 12", "snap: lea_x", "1234567890123456789"])
def test_garbage_is_not_a_phone(raw):
    assert phone_normalise(raw) is None


def test_phones_hidden_in_text_are_found_once_each_in_order():
    text = (
        "Coucou, ecris au 06.12.34.56.78 ou +44 20 7946 0958. 150 euros, 75012 Paris, "
        "le 12/03/2024. Encore: 0612345678"
    )
    assert phones_in_text(text) == ["+33612345678", "+442079460958"]
    assert phones_in_text("150 euros la demi heure, 75012 Paris") == []


@pytest.mark.parametrize(
    ("platform", "raw", "expected"),
    [
        ("snapchat", "@Lea_X", "snapchat:lea_x"),
        ("snapchat", "  lea_x ", "snapchat:lea_x"),
        ("snapchat", "https://www.snapchat.com/add/Lea_X", "snapchat:lea_x"),
        ("snapchat", "snapchat.com/add/lea_x?share_id=1", "snapchat:lea_x"),
        ("instagram", "instagram.com/Lea.x/", "instagram:lea.x"),
        ("instagram", "https://www.instagram.com/lea.x?igsh=abc", "instagram:lea.x"),
        # A URL of another platform designates an account on that platform.
        ("snapchat", "https://instagram.com/lea.x", "instagram:lea.x"),
        ("telegram", "t.me/lea_x", "telegram:lea_x"),
        ("whatsapp", "wa.me/33612345678", "whatsapp:+33612345678"),
        ("whatsapp", "https://api.whatsapp.com/send?phone=33612345678", "whatsapp:+33612345678"),
        ("whatsapp", "06 12 34 56 78", "whatsapp:+33612345678"),
        ("Instagram", "LEA.X", "instagram:lea.x"),
    ],
)
def test_handle_forms_meet(platform, raw, expected):
    assert handle_normalise(platform, raw) == expected


@pytest.mark.parametrize(
    ("platform", "raw"), [("snapchat", ""), ("snapchat", "@"), ("whatsapp", "hello"), ("", "lea")]
)
def test_empty_or_invalid_handles_are_none(platform, raw):
    assert handle_normalise(platform, raw) is None


def test_shingles_ignore_case_accents_urls_phones_and_handles():
    noisy = "Très JOLIE fée à Paris https://x.com/abc 06 12 34 56 78 @lea_x ! Vraiment"
    clean = "tres jolie fee a paris vraiment"
    assert text_fingerprint_tokens(noisy) == text_fingerprint_tokens(clean)
    assert text_fingerprint_tokens(clean) == {
        "tres jolie fee",
        "jolie fee a",
        "fee a paris",
        "a paris vraiment",
    }


def test_short_and_empty_texts():
    assert text_fingerprint_tokens("Coucou") == {"coucou"}
    assert text_fingerprint_tokens("Dispo ce") == {"dispo ce"}
    assert text_fingerprint_tokens("  !! \U0001f338 ") == set()


def test_changed_phone_does_not_change_the_fingerprint():
    first = text_fingerprint_tokens("Nouvelle a Lyon, appelle le 06 12 34 56 78 vite")
    second = text_fingerprint_tokens("Nouvelle a Lyon, appelle le 07 00 11 22 33 vite")
    assert first == second
    assert phonenumbers.is_possible_number(phonenumbers.parse("07 00 11 22 33", "FR"))

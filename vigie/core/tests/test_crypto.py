"""Identifying data is encrypted in the application, findable only through blind indexes.

Given values written through the case services, the database columns hold only Fernet tokens,
Python code reads the plaintext back, exact-match lookups go through keyed indexes, and
`vigie crypto rotate` moves every value to a new key.
"""

from datetime import date
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor, audit_verify
from vigie.cases.models import Case, CaseNote
from vigie.cases.services import case_note_add, case_open, full_name_index
from vigie.core.crypto import (
    ENCRYPTED_PREFIX,
    blind_index,
    decrypt_text,
    encrypt_text,
    normalise_for_index,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(users):
    return Actor(user=users[("caseworker", "a")], ip_address="192.0.2.10")


def raw_row(table: str, pk: int, *columns: str) -> tuple:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def raw_case(case: Case) -> tuple:
    return raw_row("cases_case", case.pk, "first_name", "last_name", "aliases", "birth_date")


def raw_note(note: CaseNote) -> str:
    return raw_row("cases_casenote", note.pk, "text")[0]


# --- Encrypted fields -------------------------------------------------------------------------


def test_text_and_date_fields_round_trip_and_are_stored_as_ciphertext(actor):
    case = case_open(
        actor=actor,
        first_name="Élodie",
        last_name="N’Diaye",
        aliases="La Petite; Dodo",
        birth_date=date(2011, 3, 4),
    )
    note = case_note_add(actor=actor, case=case, text="Rencontrée gare du Nord, 23 h.")

    reloaded = Case.objects.get(pk=case.pk)
    assert reloaded.first_name == "Élodie"
    assert reloaded.last_name == "N’Diaye"
    assert reloaded.aliases == "La Petite; Dodo"
    assert reloaded.birth_date == date(2011, 3, 4)
    assert isinstance(reloaded.birth_date, date)
    assert CaseNote.objects.get(pk=note.pk).text == "Rencontrée gare du Nord, 23 h."

    stored = (*raw_case(case), raw_note(note))
    plaintexts = ("Élodie", "N’Diaye", "La Petite; Dodo", "2011-03-04", "Rencontrée")
    for column_value in stored:
        assert column_value.startswith(ENCRYPTED_PREFIX)
        for plaintext in plaintexts:
            assert plaintext not in column_value
    # Only the year, needed for statistics, stays in clear.
    assert reloaded.birth_year == 2011


def test_the_same_value_encrypts_differently_each_time(actor):
    first = case_open(actor=actor, first_name="Awa", last_name="Koné")
    second = case_open(actor=actor, first_name="Awa", last_name="Koné")

    assert raw_case(first)[0] != raw_case(second)[0]
    assert encrypt_text("Awa") != encrypt_text("Awa")
    # The blind index, by design, is what makes the two findable as the same child.
    assert first.name_index == second.name_index != ""


def test_empty_and_missing_values_stay_empty(actor):
    case = case_open(actor=actor)

    reloaded = Case.objects.get(pk=case.pk)
    assert (reloaded.first_name, reloaded.aliases, reloaded.birth_date) == ("", "", None)
    assert reloaded.name_index == ""


def test_a_value_not_written_by_vigie_is_refused():
    with pytest.raises(ValueError, match="not encrypted"):
        decrypt_text("Élodie")
    with pytest.raises(ValueError, match="No configured key"):
        decrypt_text(ENCRYPTED_PREFIX + Fernet(Fernet.generate_key()).encrypt(b"x").decode())


@pytest.mark.parametrize(
    "lookup",
    [
        {"first_name": "Élodie"},
        {"first_name__iexact": "élodie"},
        {"last_name__icontains": "Diaye"},
        {"aliases__startswith": "La"},
        {"first_name__in": ["Élodie", "Awa"]},
        {"birth_date": date(2011, 3, 4)},
        {"birth_date__year": 2011},
        {"notes__text__contains": "gare"},
    ],
    ids=lambda lookup: next(iter(lookup)),
)
def test_encrypted_fields_cannot_be_searched_by_content(case_a, lookup):
    with pytest.raises(ValueError, match="Encrypted fields cannot be searched"):
        list(Case.objects.filter(**lookup))
    with pytest.raises(ValueError, match="Encrypted fields cannot be searched"):
        list(Case.objects.exclude(**lookup))


def test_encrypted_fields_can_be_tested_for_absence(actor):
    with_birth_date = case_open(actor=actor, birth_date=date(2012, 1, 2))
    without = case_open(actor=actor)

    assert list(Case.objects.filter(birth_date__isnull=True)) == [without]
    assert list(Case.objects.filter(birth_date__isnull=False)) == [with_birth_date]


# --- Blind indexes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    ["Aminata Diallo", "AMINATA DIALLO", "aminata diallo", "Amináta Diallö", "  Aminata   Diallo "],
)
def test_blind_index_ignores_case_accents_and_spacing(variant):
    assert blind_index(variant, purpose="case.full_name") == blind_index(
        "Aminata Diallo", purpose="case.full_name"
    )


def test_blind_index_still_tells_different_values_apart():
    reference = blind_index("Aminata Diallo", purpose="case.full_name")

    assert blind_index("Aminata Diallo B", purpose="case.full_name") != reference
    assert blind_index("Aminata Dialo", purpose="case.full_name") != reference
    assert blind_index("AminataDiallo", purpose="case.full_name") != reference


def test_blind_index_is_separated_by_purpose_and_keyed():
    value = "0612345678"
    as_name = blind_index(value, purpose="case.full_name")
    as_phone = blind_index(value, purpose="contact.phone")

    assert as_name != as_phone
    assert value not in as_name
    assert len(as_name) == 64
    with override_settings(BLIND_INDEX_KEY="another-key"):
        assert blind_index(value, purpose="case.full_name") != as_name


def test_normalisation_used_by_the_index():
    assert normalise_for_index("  Ça  VA\tÉté ") == "ca va ete"


def test_a_child_already_known_is_found_through_the_name_index(actor):
    known = case_open(actor=actor, first_name="Fatoumata", last_name="Traoré")
    case_open(actor=actor, first_name="Fatou", last_name="Traoré")

    found = Case.objects.filter(name_index=full_name_index("FATOUMATA", "traore"))

    assert list(found) == [known]


# --- Key rotation -----------------------------------------------------------------------------


def test_rotation_moves_every_value_to_the_new_key(actor):
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]):
        case = case_open(
            actor=actor,
            first_name="Mariam",
            last_name="Sissoko",
            aliases="Mimi",
            birth_date=date(2010, 5, 6),
        )
        note = case_note_add(actor=actor, case=case, text="Premier entretien.")
    before = (*raw_case(case), raw_note(note))

    # Before rotation, the new key alone cannot read what the old key wrote.
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]), pytest.raises(ValueError):
        Case.objects.get(pk=case.pk)

    stdout = StringIO()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("crypto", "rotate", stdout=stdout)

    assert "Rotation complete" in stdout.getvalue()
    after = (*raw_case(case), raw_note(note))
    for old_value, new_value in zip(before, after, strict=True):
        assert new_value.startswith(ENCRYPTED_PREFIX)
        assert new_value != old_value
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        reloaded = Case.objects.get(pk=case.pk)
        assert (reloaded.first_name, reloaded.last_name, reloaded.aliases) == (
            "Mariam",
            "Sissoko",
            "Mimi",
        )
        assert reloaded.birth_date == date(2010, 5, 6)
        assert CaseNote.objects.get(pk=note.pk).text == "Premier entretien."
    # The retired key no longer opens anything.
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]), pytest.raises(ValueError):
        Case.objects.get(pk=case.pk)
    assert AuditEvent.objects.filter(action=AuditAction.ENCRYPTION_KEYS_ROTATE).count() == 1
    assert audit_verify() == []


def test_rotation_with_a_missing_key_changes_nothing(actor):
    old_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]):
        case = case_open(actor=actor, first_name="Kadi", last_name="Camara")
    before = raw_case(case)

    # The operator forgot to keep the old key after the new one: nothing may be half-rotated.
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(CommandError, match="keep the old key"),
    ):
        call_command("crypto", "rotate", stdout=StringIO())

    assert raw_case(case) == before
    assert not AuditEvent.objects.filter(action=AuditAction.ENCRYPTION_KEYS_ROTATE).exists()

"""The sentinel test: a child's name written through Vigie never reaches the database in clear.

Given a unique sentinel written as first name, last name, aliases and note through the normal
services, when we read what the database actually stores (the SQLite file and its write-ahead
log, or a pg_dump of the PostgreSQL database), then the sentinel is nowhere, while a non-secret
value written in the same rows is found (so that the test would see a plaintext name too).
"""

import os
import secrets
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from vigie.audit.services import Actor
from vigie.cases.services import case_note_add, case_open
from vigie.tests_support.factories import OrganisationFactory, UserFactory


def raw_sqlite_bytes() -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database = Path(connection.settings_dict["NAME"])
    contents = database.read_bytes()
    for suffix in ("-wal", "-journal"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            contents += companion.read_bytes()
    return contents


def raw_postgresql_dump() -> bytes:
    settings_dict = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump (Debian postgresql-client) must be on PATH"
    result = subprocess.run(
        [
            pg_dump,
            "--no-owner",
            "--host",
            settings_dict["HOST"] or "localhost",
            "--port",
            str(settings_dict["PORT"] or 5432),
            "--username",
            settings_dict["USER"],
            "--dbname",
            settings_dict["NAME"],
        ],
        env={**os.environ, "PGPASSWORD": settings_dict["PASSWORD"] or ""},
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout


def raw_database_contents() -> bytes:
    if connection.vendor == "postgresql":
        return raw_postgresql_dump()
    assert connection.vendor == "sqlite"
    return raw_sqlite_bytes()


@pytest.mark.django_db(transaction=True)
def test_identifying_data_is_not_stored_in_clear():
    sentinel = f"Sntnl{secrets.token_hex(12)}"
    caseworker = UserFactory(role="caseworker", organisation=OrganisationFactory())
    actor = Actor(user=caseworker, ip_address="192.0.2.33")

    case = case_open(
        actor=actor,
        first_name=f"{sentinel}Prenom",
        last_name=f"{sentinel}Nom",
        aliases=f"dite {sentinel}Alias",
        birth_date=date(2009, 7, 13),
        nationality="er",
        departement="93",
    )
    note = case_note_add(actor=actor, case=case, text=f"Entretien avec {sentinel}, à revoir.")

    contents = raw_database_contents()

    # Controls: clear values from the very same rows are visible to this reading.
    assert case.reference.encode() in contents
    note_id = str(note.uuid) if connection.vendor == "postgresql" else note.uuid.hex
    assert note_id.encode() in contents
    # The secrets are not.
    assert sentinel.encode("utf-8") not in contents
    assert sentinel.encode("utf-16-le") not in contents
    assert b"2009-07-13" not in contents

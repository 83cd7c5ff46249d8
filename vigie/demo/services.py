"""Generation of the demo data set: deterministic for a seed, idempotent, and fast in bulk."""

import base64
import hashlib
import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.utils import timezone

from vigie.accounts.models import Organisation, User
from vigie.accounts.services import totp_demo_device_ensure
from vigie.cases.models import Case, CaseNote
from vigie.cases.services import full_name_index
from vigie.core.crypto import EncryptedField

from . import data

T = TypeVar("T")
BATCH_SIZE = 5000
NOTED_CASES = 300  # the first cases also get a timeline note, for realistic case pages


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str
    totp_secret_base32: str


@dataclass(frozen=True)
class DemoResult:
    logins: list[DemoLogin]
    cases_created: int
    seconds: float


def demo_allowed() -> bool:
    return bool(getattr(settings, "VIGIE_ALLOW_DEMO_DATA", False))


class _Weighted(Generic[T]):
    """A weighted choice with its cumulative weights computed once (same draws as choices())."""

    def __init__(self, pairs: Sequence[tuple[T, int]]) -> None:
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(itertools.accumulate(weight for _value, weight in pairs))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cumulative, k=1)[0]


def _totp_key_hex(seed: int, email: str) -> str:
    # Demo only: a secret derived from the seed, so that `make run` can print it every time.
    return hashlib.sha256(f"vigie-demo:{seed}:{email}".encode()).hexdigest()[:40]


@transaction.atomic
def demo_accounts_ensure(*, seed: int) -> tuple[dict[str, Organisation], list[DemoLogin]]:
    organisations: dict[str, Organisation] = {}
    for spec in data.ORGANISATIONS:
        organisation, _created = Organisation.objects.get_or_create(
            name=spec.name, defaults={"kind": spec.kind, "departements": list(spec.departements)}
        )
        organisations[spec.key] = organisation
    logins = []
    # One Argon2 hash for every demo account (same published password): hashing is slow by design.
    demo_password_hash = make_password(data.DEMO_PASSWORD)
    for person in data.USERS:
        member_of = organisations[person.org_key] if person.org_key else None
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User(
                email=person.email,
                full_name=person.full_name,
                role=person.role,
                organisation=member_of,
            )
            user.password = demo_password_hash
            user.save()
        key_hex = _totp_key_hex(seed, person.email)
        totp_demo_device_ensure(user=user, key_hex=key_hex)
        logins.append(
            DemoLogin(
                email=person.email,
                role=user.get_role_display(),
                organisation=member_of.name if member_of else "—",
                totp_secret_base32=base64.b32encode(bytes.fromhex(key_hex)).decode(),
            )
        )
    return organisations, logins


def _reference(seed: int, index: int) -> str:
    return f"DEMO{seed}-{index:07d}"


_FORMS = _Weighted([(profile, profile[1]) for profile in data.EXPLOITATION_PROFILES])
_AGES = _Weighted(data.AGE_WEIGHTS)
_CARE_STATUSES = _Weighted(data.CARE_STATUSES)
_REFERRAL_SOURCES = _Weighted(data.REFERRAL_SOURCES)
_NATIONALITIES = {profile[0]: _Weighted(profile[4]) for profile in data.EXPLOITATION_PROFILES}


def _case_rows(
    *, rng: random.Random, seed: int, count: int, holders: list[Organisation], today: date
) -> Iterator[dict[str, Any]]:
    """Case values (by attribute name) for indexes 0..count-1, always drawing the same numbers.

    Plain dicts, not model instances: at a million rows, instantiating models costs more than
    everything else together.
    """
    now = timezone.now()
    for index in range(count):
        form, _weight, girls, unaccompanied_share, _nationalities = _FORMS.draw(rng)
        extra_form = _FORMS.draw(rng)[0] if rng.random() < 0.15 else None
        organisation = holders[rng.randrange(len(holders))]
        gender = "girl" if rng.random() < girls else "boy"
        if rng.random() < 0.02:
            gender = rng.choice(("other", "unknown"))
        age = _AGES.draw(rng)
        if form == "sale_of_child":
            age = rng.randint(0, 2)
        identified_on = today - timedelta(days=rng.randint(0, 5 * 365))
        birth_date = identified_on - timedelta(days=age * 365 + rng.randint(0, 364))
        unaccompanied = age >= 10 and rng.random() < unaccompanied_share
        age_disputed = unaccompanied and 13 <= age <= 19 and rng.random() < 0.35
        first_names = data.FIRST_NAMES_GIRLS if gender == "girl" else data.FIRST_NAMES_BOYS
        first_name = rng.choice(first_names)
        last_name = rng.choice(data.LAST_NAMES)
        aliases = rng.choice(data.ALIASES) if rng.random() < 0.2 else ""
        exact_birth_date = rng.random() < 0.6 and not age_disputed
        yield {
            "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "created_at": now,
            "updated_at": now,
            "created_by_id": None,
            "organisation_id": organisation.pk,
            "reference": _reference(seed, index),
            "assigned_to_id": None,
            "first_name": first_name,
            "last_name": last_name,
            "aliases": aliases,
            "birth_date": birth_date if exact_birth_date else None,
            "birth_year": birth_date.year,
            "name_index": full_name_index(first_name, last_name),
            "age_disputed": age_disputed,
            "gender": gender,
            "nationality": _NATIONALITIES[form].draw(rng),
            "unaccompanied": unaccompanied,
            "care_status": _CARE_STATUSES.draw(rng) if age < 18 else rng.choice(("ase", "none")),
            "departement": rng.choice(organisation.departements),
            "exploitation_forms": sorted({form} | ({extra_form} if extra_form else set())),
            "referral_source": _REFERRAL_SOURCES.draw(rng),
            "identified_on": identified_on,
            "status": "closed" if rng.random() < 0.25 else "open",
            "closed_at": None,
            "note": rng.choice(data.NOTE_TEXTS) if index < NOTED_CASES else None,
        }


def _batches(rows: Iterator[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _converter(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """How one field's value becomes a database parameter.

    Plain text, number and boolean columns pass through as they are; every other field (UUIDs,
    dates, JSON, and the encrypted fields, which encrypt here) prepares its own value.
    """
    passthrough = (models.CharField, models.IntegerField, models.BooleanField, models.ForeignKey)
    if isinstance(field, passthrough) and not isinstance(field, EncryptedField):
        return lambda value: value
    last: list[Any] = [object(), None]  # (value, prepared): rows share their timestamps

    def prepare(value: Any) -> Any:
        if value is None and field.null:
            return None
        if value is not last[0] or isinstance(field, EncryptedField):
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepare


def _insert_rows(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """One executemany per batch: ORM-level bulk_create costs more than the rows themselves."""
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # A column the generator does not draw takes the field's own default (a new field of the
    # case file, say), so the demo never writes a value the model would not.
    convert = [(f.attname, _converter(f, connection)) for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.get_attname_column()[1] or f.attname) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
    prepared = [
        tuple(to_db(row[name] if name in row else defaults[name]) for name, to_db in convert)
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the batch in one statement: several times faster than executemany.
            copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for values in prepared:
                    copy.write_row(values)
        else:
            cursor.executemany(sql, prepared)


@transaction.atomic
def demo_load(*, cases: int, seed: int, today: date | None = None) -> DemoResult:
    """Create the demo organisations, accounts and ``cases`` case files (all or nothing).

    Idempotent: cases are numbered per seed and only the missing ones are added, so running it
    twice changes nothing and running it with a larger ``cases`` adds the difference.
    """
    if not demo_allowed():
        raise ImproperlyConfigured("Demo data is refused with these settings (production?).")
    started = time.perf_counter()
    organisations, logins = demo_accounts_ensure(seed=seed)
    holders = [organisations[spec.key] for spec in data.ORGANISATIONS if spec.holds_cases]
    existing = Case.objects.filter(reference__startswith=f"DEMO{seed}-").count()
    # Fictional data, reproducible on purpose: not a security use of randomness.
    rng = random.Random(seed)  # nosec B311
    created = 0
    rows = _case_rows(
        rng=rng, seed=seed, count=cases, holders=holders, today=today or timezone.localdate()
    )
    for batch in _batches(rows, BATCH_SIZE):
        fresh = [row for row in batch if int(row["reference"].split("-")[1]) >= existing]
        if not fresh:
            continue
        _insert_rows(Case, fresh)
        noted = {row["uuid"]: row for row in fresh if row["note"]}
        if noted:
            case_pks = Case.objects.filter(uuid__in=noted).values_list("uuid", "pk")
            CaseNote.objects.bulk_create(
                CaseNote(
                    case_id=pk,
                    text=noted[case_uuid]["note"],
                    written_on=noted[case_uuid]["identified_on"],
                )
                for case_uuid, pk in case_pks
            )
        created += len(fresh)
    return DemoResult(logins=logins, cases_created=created, seconds=time.perf_counter() - started)

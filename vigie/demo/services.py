"""Generation of the demo data set: deterministic for a seed, idempotent, and fast in bulk."""

import base64
import hashlib
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from vigie.accounts.models import Organisation, User
from vigie.accounts.services import totp_demo_device_ensure
from vigie.cases.models import Case, CaseNote
from vigie.cases.services import full_name_index

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


def _weighted(rng: random.Random, pairs: Sequence[tuple[T, int]]) -> T:
    values = [value for value, _weight in pairs]
    weights = [weight for _value, weight in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


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
    for spec in data.USERS:
        organisation = organisations[spec.org_key] if spec.org_key else None
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User(email=spec.email, full_name=spec.full_name, role=spec.role, organisation=organisation)
            user.set_password(data.DEMO_PASSWORD)
            user.save()
        key_hex = _totp_key_hex(seed, spec.email)
        totp_demo_device_ensure(user=user, key_hex=key_hex)
        logins.append(
            DemoLogin(
                email=spec.email,
                role=user.get_role_display(),
                organisation=organisation.name if organisation else "—",
                totp_secret_base32=base64.b32encode(bytes.fromhex(key_hex)).decode(),
            )
        )
    return organisations, logins


def _reference(seed: int, index: int) -> str:
    return f"DEMO{seed}-{index:07d}"


def _case_rows(
    *, rng: random.Random, seed: int, count: int, holders: list[Organisation], today: date
) -> Iterator[tuple[Case, str | None]]:
    """Yields (case, note text or None) for indexes 0..count-1, always drawing the same numbers."""
    forms = [(profile, profile[1]) for profile in data.EXPLOITATION_PROFILES]
    for index in range(count):
        profile = _weighted(rng, forms)
        form, _weight, girls, unaccompanied_share, nationalities = profile
        extra_form = None
        if rng.random() < 0.15:
            extra_form = _weighted(rng, forms)[0]
        organisation = holders[rng.randrange(len(holders))]
        gender = "girl" if rng.random() < girls else "boy"
        if rng.random() < 0.02:
            gender = rng.choice(("other", "unknown"))
        age = _weighted(rng, data.AGE_WEIGHTS)
        if form == "sale_of_children":
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
        case_forms = sorted({form, extra_form} - {None})
        case = Case(
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            organisation=organisation,
            reference=_reference(seed, index),
            first_name=first_name,
            last_name=last_name,
            aliases=aliases,
            birth_date=birth_date if exact_birth_date else None,
            birth_year=birth_date.year,
            name_index=full_name_index(first_name, last_name),
            age_disputed=age_disputed,
            gender=gender,
            nationality=_weighted(rng, nationalities),
            unaccompanied=unaccompanied,
            care_status=_weighted(rng, data.CARE_STATUSES) if age < 18 else rng.choice(("ase", "none")),
            departement=rng.choice(organisation.departements) if organisation.departements else "",
            exploitation_forms=case_forms,
            referral_source=_weighted(rng, data.REFERRAL_SOURCES),
            identified_on=identified_on,
            status="closed" if rng.random() < 0.25 else "open",
        )
        note = rng.choice(data.NOTE_TEXTS) if index < NOTED_CASES else None
        yield case, note


def _batches(rows: Iterator[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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
    rng = random.Random(seed)
    created = 0
    rows = _case_rows(rng=rng, seed=seed, count=cases, holders=holders, today=today or timezone.localdate())
    for batch in _batches(rows, BATCH_SIZE):
        fresh = [(case, note) for case, note in batch if int(case.reference.split("-")[1]) >= existing]
        if not fresh:
            continue
        Case.objects.bulk_create([case for case, _note in fresh], batch_size=BATCH_SIZE)
        notes = [(case, note) for case, note in fresh if note]
        if notes:
            saved = dict(
                Case.objects.filter(uuid__in=[case.uuid for case, _note in notes]).values_list("uuid", "pk")
            )
            CaseNote.objects.bulk_create(
                CaseNote(case_id=saved[case.uuid], text=note, written_on=case.identified_on)
                for case, note in notes
            )
        created += len(fresh)
    return DemoResult(logins=logins, cases_created=created, seconds=time.perf_counter() - started)

"""Generation of the demo data set: deterministic for a seed, idempotent, and fast in bulk."""

import base64
import collections
import functools
import hashlib
import itertools
import multiprocessing
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils import timezone

from vigie.accounts.models import Organisation, User
from vigie.accounts.roles import Role
from vigie.accounts.services import totp_demo_device_ensure
from vigie.cases.models import (
    AgeAppeal,
    AgeAssessment,
    Case,
    CaseNote,
    CaseStatusChange,
    CompensationClaim,
    Hearing,
    Placement,
    Proceeding,
)
from vigie.core.bulk_rows import BulkTable
from vigie.rights.catalogue import load_catalogue
from vigie.rights.models import RightItem

from . import data
from .generate import DemoFile, FileDrawer, Holder
from .network import network_demo_ensure
from .rights import demo_plan

BATCH_SIZE = 5000


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
    _teams_ensure(organisations, seed=seed, password_hash=demo_password_hash)
    return organisations, logins


def _teams_ensure(organisations: dict[str, Organisation], *, seed: int, password_hash: str) -> None:
    """The caseworkers each organisation's files are spread over (not printed: see data)."""
    for number, (spec, member) in enumerate(
        (spec, member)
        for spec in data.ORGANISATIONS
        if spec.holds_cases
        for member in range(1, data.TEAM_SIZE + 1)
    ):
        email = f"equipe{member}@{spec.key}.demo.invalid"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                full_name=data.TEAM_NAMES[number % len(data.TEAM_NAMES)],
                role=Role.CASEWORKER,
                organisation=organisations[spec.key],
            )
            user.password = password_hash
            user.save()
        totp_demo_device_ensure(user=user, key_hex=_totp_key_hex(seed, email))


class _Table(BulkTable):
    """How the rows of one model are written (vigie/core/bulk_rows.py). A column the generator
    does not draw takes the field's own default (a new field of the case file, say), so the demo
    never writes a value the model would not."""

    def __init__(self, model: type[Model], connection: BaseDatabaseWrapper) -> None:
        super().__init__(model, connection)
        # Events name their file by its UUID until the file has its primary key.
        self.case_position = self.names.index("case_id") if "case_id" in self.names else None

    def prepare(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        pairs = list(zip(self.names, self.converters, strict=True))
        defaults = self.defaults
        return [
            tuple(to_db(row[name] if name in row else defaults[name]) for name, to_db in pairs)
            for row in rows
        ]


_EVENT_MODELS: dict[str, type[Model]] = {
    "notes": CaseNote,
    "status_changes": CaseStatusChange,
    "placements": Placement,
    "age_assessments": AgeAssessment,
    "age_appeals": AgeAppeal,
    "proceedings": Proceeding,
    "hearings": Hearing,
    "compensation_claims": CompensationClaim,
    "rights": RightItem,
}


@functools.cache
def _tables(alias: str) -> dict[str, _Table]:
    connection = connections[alias]
    tables = {kind: _Table(model, connection) for kind, model in _EVENT_MODELS.items()}
    tables["cases"] = _Table(Case, connection)
    return tables


@dataclass(frozen=True)
class _Job:
    seed: int
    indexes: range
    holders: tuple[Holder, ...]
    today: date
    alias: str


@dataclass
class _PreparedBatch:
    case_uuids: list[Any]
    rows: dict[str, list[tuple[Any, ...]]]


def _prepare(job: _Job) -> _PreparedBatch:
    """Draw a batch of files, evaluate their rights plans and prepare their rows (encrypted).

    The costly part, run by worker processes when there are several batches; it never touches
    the database.
    """
    drawer = FileDrawer(seed=job.seed, holders=job.holders, today=job.today)
    catalogue = load_catalogue()
    tables = _tables(job.alias)
    files: list[DemoFile] = []
    for index in job.indexes:
        demo_file = drawer.draw(index)
        demo_plan(demo_file, catalogue=catalogue, today=job.today)
        files.append(demo_file)
    rows = {"cases": tables["cases"].prepare([f.case for f in files])}
    for kind in _EVENT_MODELS:
        events = [
            {**row, "case_id": f.case["uuid"]} for f in files for row in f.events.get(kind, ())
        ]
        rows[kind] = tables[kind].prepare(events)
    return _PreparedBatch(case_uuids=[f.case["uuid"] for f in files], rows=rows)


def _write(batch: _PreparedBatch, alias: str) -> None:
    """The batch's case files, then every event row with its file's new primary key."""
    connection = connections[alias]
    tables = _tables(alias)
    tables["cases"].write(batch.rows["cases"], connection)
    pks = dict(
        Case.objects.using(alias).filter(uuid__in=batch.case_uuids).values_list("uuid", "pk")
    )
    for kind in _EVENT_MODELS:
        table, rows = tables[kind], batch.rows[kind]
        if not rows:
            continue
        at = table.case_position
        assert at is not None  # noqa: S101 (every event table has its case)
        table.write([(*row[:at], pks[row[at]], *row[at + 1 :]) for row in rows], connection)


def _prepared_batches(jobs: list[_Job], workers: int) -> Iterator[_PreparedBatch]:
    """The jobs' batches in order: prepared by ``workers`` processes while this one writes."""
    context = multiprocessing.get_context("fork") if workers > 0 else None
    if context is None or len(jobs) < 2:
        yield from map(_prepare, jobs)
        return
    # Forked workers only compute: they never use the parent's open database connection (and
    # leave through os._exit, which closes nothing of it).
    with context.Pool(processes=workers) as pool:
        waiting = iter(jobs)
        # A few batches prepared ahead, in order, so that memory stays bounded.
        pending = collections.deque(
            pool.apply_async(_prepare, (job,)) for job in itertools.islice(waiting, 2 * workers)
        )
        while pending:
            batch = pending.popleft().get()
            for job in itertools.islice(waiting, 1):
                pending.append(pool.apply_async(_prepare, (job,)))
            yield batch


def _holders(organisations: dict[str, Organisation]) -> list[Holder]:
    """Organisations holding files, each with its caseworkers (ordered: the same draws)."""
    holders = []
    for spec in data.ORGANISATIONS:
        if not spec.holds_cases:
            continue
        organisation = organisations[spec.key]
        workers = User.objects.filter(
            organisation=organisation, role=Role.CASEWORKER, is_active=True
        ).order_by("email")
        holders.append(
            Holder(
                pk=organisation.pk,
                departements=tuple(organisation.departements),
                worker_pks=tuple(workers.values_list("pk", flat=True)),
            )
        )
    return holders


def demo_workers() -> int:
    """Processes preparing files besides the writing one (the database server needs one too)."""
    return max(1, min((os.cpu_count() or 1) - 1, 8))


@transaction.atomic
def demo_load(
    *, cases: int, seed: int, today: date | None = None, workers: int | None = None
) -> DemoResult:
    """Create the demo organisations, accounts and ``cases`` case files (all or nothing).

    Idempotent: cases are numbered per seed and only the missing ones are added, so running it
    twice changes nothing and running it with a larger ``cases`` adds the difference. Each file
    is drawn from its own random stream, so ``workers`` processes can prepare batches at once.
    """
    if not demo_allowed():
        raise ImproperlyConfigured("Demo data is refused with these settings (production?).")
    started = time.perf_counter()
    organisations, logins = demo_accounts_ensure(seed=seed)
    network_demo_ensure(organisations=organisations, seed=seed)
    existing = Case.objects.filter(reference__startswith=f"DEMO{seed}-").count()
    alias = router.db_for_write(Case)
    connection = connections[alias]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A million files' indexes outgrow SQLite's default 2 MB page cache; this
            # connection may use 256 MB while it loads (the setting ends with the connection).
            cursor.execute("PRAGMA cache_size = -262144")
    holders = tuple(_holders(organisations))
    day = today or timezone.localdate()
    load_catalogue()  # loaded (and checked) once, before the workers start
    jobs = [
        _Job(seed, range(start, min(start + BATCH_SIZE, cases)), holders, day, alias)
        for start in range(existing, cases, BATCH_SIZE)
    ]
    created = 0
    for batch in _prepared_batches(jobs, demo_workers() if workers is None else workers):
        _write(batch, alias)
        created += len(batch.case_uuids)
    if created:
        with connection.cursor() as cursor:
            # Fresh statistics for the query planner after a bulk load (PostgreSQL's autovacuum
            # would get there later; SQLite never does by itself).
            cursor.execute("ANALYZE")
    return DemoResult(logins=logins, cases_created=created, seconds=time.perf_counter() - started)

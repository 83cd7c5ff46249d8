"""The writing of imported case files: the new files, their rights plans and fingerprints.

Each new file gets what ``case_open`` (vigie/cases/services/opening.py) gives one file: a
pseudonymous reference, the person importing as its first referent, the presumption of
minority's ``majority_month``, the name's blind index, and its rights plan evaluated from its
own fields (a new file has no events: vigie/rights/facts.py would find none), stored as
``rights_plan_refresh`` stores a new plan, with ``next_due_on``. They are prepared while the rows
are checked (in worker processes for a large file) and written in bulk (see _bulk.py): 100,000
files within a minute.
"""

import collections
import multiprocessing
import os

# Only for the import's own temporary file and worker results (see CasesBatch).
import pickle  # nosec B403
import secrets
import tempfile
import uuid
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from vigie.accounts.models import Organisation
from vigie.audit.services import Actor
from vigie.cases.ages import majority_month
from vigie.cases.models import Case, CaseStatus
from vigie.cases.services.opening import full_name_index
from vigie.rights.catalogue import load_catalogue
from vigie.rights.models import OPEN_STATES, RightItem, RightState
from vigie.rights.plan import CaseFacts, plan_evaluate

from ..models import ImportedRecord, ImportTarget
from ._bulk import RowWriter, large_cache
from .base import Row, WriteResult

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as case_reference_new
# Processes preparing chunks while this one reads the file (0: none). Two, even on two cores:
# preparing is twice the reading's work (measured: 100,000 rows in 34 s instead of 45 s with
# one); more gains little, the writing being single-threaded.
IMPORT_WORKERS = min(2, os.cpu_count() or 1) if os.name == "posix" else 0
LOOKUP_CHUNK = 900  # parameters per query (SQLite's historical limit is 999)

CASE_VARIABLES = (
    "uuid",
    "reference",
    "first_name",
    "last_name",
    "aliases",
    "birth_date",
    "name_index",
    "birth_year",
    "age_disputed",
    "gender",
    "nationality",
    "unaccompanied",
    "care_status",
    "departement",
    "exploitation_forms",
    "referral_source",
    "identified_on",
    "last_contact_on",
    "next_due_on",
    "majority_month",
)
RIGHT_VARIABLES = (
    "uuid",
    "right_id",
    "state",
    "opened_on",
    "due_on",
    "done_on",
    "opened_by",
    "automatic_reason",
)


class CasesBatch:
    """The new files, their rights plans and fingerprints, as rows ready to write."""

    def __init__(self, *, actor: Actor, organisation: Organisation, job: Any) -> None:
        assert actor.user is not None  # noqa: S101 - the services checked the permission
        self.user_id = actor.user.pk
        self.organisation = organisation
        self.job_id = job.pk if job is not None else None
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.catalogue = load_catalogue()
        self.cases = RowWriter(Case, connection)
        self.rights = RowWriter(RightItem, connection)
        self.records = RowWriter(ImportedRecord, connection)
        self.right_case = self.rights.position("case_id")
        user = {"created_at": self.now, "updated_at": self.now, "created_by_id": self.user_id}
        self.case_row = self.cases.preparer(
            {
                **user,
                "organisation_id": organisation.pk,
                "status": CaseStatus.OPEN,
                "version": 1,
                # The person importing is the files' first referent, as for a file opened by
                # hand (case_open); a coordinator reassigns them from the list.
                "assigned_to_id": self.user_id,
            },
            CASE_VARIABLES,
        )
        self.right_row = self.rights.preparer(
            {
                **user,
                "created_by_id": None,  # as rights_plan_refresh: the plan, not a person
                "case_id": None,  # the file's primary key, once written
                "catalogue_version": self.catalogue.version,
                "decided_by_person": False,
            },
            RIGHT_VARIABLES,
        )
        self.record_row = self.records.preparer(
            {
                "organisation_id": organisation.pk,
                "target": ImportTarget.CASES,
                "job_id": self.job_id,
                "created_at": self.now,
                "created_by_id": self.user_id,
            },
            ("key", "object_uuid"),
        )
        # Prepared rows wait in a temporary file, a chunk at a time, so that memory holds one
        # chunk whatever the file's size. They hold what the database will (names encrypted).
        self.spool = tempfile.TemporaryFile(prefix="vigie-import-")  # noqa: SIM115 - closed by write
        self.created: list[uuid.UUID] = []
        self.case_rows: list[tuple[Any, ...]] = []
        self.case_uuids: list[uuid.UUID] = []
        self.right_rows: list[tuple[uuid.UUID, tuple[Any, ...]]] = []
        self.record_rows: list[tuple[Any, ...]] = []
        self.references: set[str] = set()
        self.chunks_added = 0
        self.pool: Any = None
        self.pending: collections.deque[Any] = collections.deque()

    def add_matches(self, rows: list[tuple[Row, Any]]) -> None:
        """Matching rows are duplicates (on_match "skip"): nothing to write."""

    def add_new(self, rows: list[Row]) -> None:
        """Prepare a chunk: here for the first one, then in worker processes when the file has
        more (plans and encryption are most of an import's time; the references, which need
        the database, are drawn here)."""
        if not rows:
            return
        identified = [row.values["identified_on"] or self.today for row in rows]
        references = self._references([day.year for day in identified])
        if self.chunks_added and self.pool is None and IMPORT_WORKERS > 0:
            self._pool_start()
        self.chunks_added += 1
        if self.pool is None:
            self._spooled(self.prepared(rows, identified, references))
            return
        self.pending.append(
            self.pool.apply_async(_prepared_in_worker, (rows, identified, references))
        )
        while len(self.pending) > 2 * IMPORT_WORKERS:
            self._spooled(self.pending.popleft().get())

    def prepared(
        self, rows: list[Row], identified: list[date], references: list[str]
    ) -> tuple[list[uuid.UUID], bytes]:
        """A chunk's rows, pickled for the spool (pure: runs in a worker process too)."""
        for row, identified_on, reference in zip(rows, identified, references, strict=True):
            self._add(row, identified_on, reference)
        chunk = (self.case_uuids, self.case_rows, self.right_rows, self.record_rows)
        uuids = self.case_uuids
        self.case_uuids, self.case_rows, self.right_rows, self.record_rows = [], [], [], []
        return uuids, pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)

    def _spooled(self, prepared: tuple[list[uuid.UUID], bytes]) -> None:
        uuids, data = prepared
        self.spool.write(data)
        self.created.extend(uuids)

    def _pool_start(self) -> None:
        global _FORKED_BATCH  # what the forked workers inherit (see below)
        _FORKED_BATCH = self
        # Forked workers only compute: they never use the parent's database connection (and
        # leave through os._exit, which closes nothing of it). "fork" is what makes the
        # batch's state theirs without pickling it; where it is missing, the work stays here.
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            return
        self.pool = context.Pool(processes=IMPORT_WORKERS)

    def close(self) -> None:
        """End the workers, if any (after writing, or when the import stops on an error)."""
        global _FORKED_BATCH
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        self.pending.clear()
        _FORKED_BATCH = None
        self.spool.close()

    def _add(self, row: Row, identified_on: date, reference: str) -> None:
        values = row.values
        case_uuid = uuid.uuid4()
        born: date | None = values["birth_date"]
        birth_year = born.year if born else values["birth_year"]
        facts = CaseFacts(
            identified_on=identified_on,
            status=CaseStatus.OPEN,
            birth_date=born,
            birth_year=birth_year,
            age_disputed=values["age_disputed"],
            unaccompanied=values["unaccompanied"],
            nationality=values["nationality"],
            forms=frozenset(values["exploitation_forms"]),
        )
        next_due: date | None = None
        for evaluation in plan_evaluate(catalogue=self.catalogue, facts=facts, today=self.today):
            if not evaluation.applicable:
                continue
            # A new item as rights_plan_refresh stores it (vigie/rights/services.py _evaluated).
            automatic = evaluation.automatic
            state = automatic.state if automatic else RightState.TO_DO
            done_on = None
            if automatic is not None and state == RightState.DONE:
                done_on = automatic.done_on or self.today
            if (
                state in OPEN_STATES
                and evaluation.due_on
                and (next_due is None or evaluation.due_on < next_due)
            ):
                next_due = evaluation.due_on
            item = self.right_row(
                {
                    "uuid": uuid.uuid4(),
                    "right_id": evaluation.right_id,
                    "state": state,
                    "opened_on": evaluation.opened_on,
                    "due_on": evaluation.due_on,
                    "done_on": done_on,
                    "opened_by": evaluation.opened_by,
                    "automatic_reason": automatic.reason if automatic else "",
                }
            )
            self.right_rows.append((case_uuid, item))
        self.case_rows.append(
            self.case_row(
                {
                    "uuid": case_uuid,
                    "reference": reference,
                    "first_name": values["first_name"],
                    "last_name": values["last_name"],
                    "aliases": values["aliases"],
                    "birth_date": born,
                    "name_index": full_name_index(values["first_name"], values["last_name"]),
                    "birth_year": birth_year,
                    "age_disputed": values["age_disputed"],
                    "gender": values["gender"],
                    "nationality": values["nationality"],
                    "unaccompanied": values["unaccompanied"],
                    "care_status": values["care_status"],
                    "departement": values["departement"],
                    "exploitation_forms": values["exploitation_forms"],
                    "referral_source": values["referral_source"],
                    "identified_on": identified_on,
                    "last_contact_on": identified_on,
                    "next_due_on": next_due,
                    "majority_month": majority_month(
                        birth_date=born, birth_year=birth_year, disputed=values["age_disputed"]
                    ),
                }
            )
        )
        self.case_uuids.append(case_uuid)
        self.record_rows.append(self.record_row({"key": row.key, "object_uuid": case_uuid}))

    def _references(self, years: list[int]) -> list[str]:
        """Pseudonymous references, unique in the organisation (checked a chunk at a time)."""
        references = [self._reference(year) for year in years]
        while True:
            taken: set[str] = set()
            for start in range(0, len(references), LOOKUP_CHUNK):
                taken.update(
                    Case.objects.filter(
                        organisation=self.organisation,
                        reference__in=references[start : start + LOOKUP_CHUNK],
                    ).values_list("reference", flat=True)
                )
            if not taken:
                return references
            for position, reference in enumerate(references):
                if reference in taken:
                    references[position] = self._reference(years[position])

    def _reference(self, year: int) -> str:
        while True:
            reference = f"{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def write(self) -> WriteResult:
        """Runs in the caller's transaction."""
        try:
            while self.pending:
                self._spooled(self.pending.popleft().get())
            with large_cache(connection):
                self.spool.seek(0)
                while True:
                    try:
                        # Our own file, written by add_new in this process a moment ago.
                        chunk = pickle.load(self.spool)  # noqa: S301  # nosec B301
                    except EOFError:
                        break
                    self._write(*chunk)
        finally:
            self.close()
        return WriteResult(created=self.created)

    def _write(
        self,
        case_uuids: list[uuid.UUID],
        case_rows: list[tuple[Any, ...]],
        right_rows: list[tuple[uuid.UUID, tuple[Any, ...]]],
        record_rows: list[tuple[Any, ...]],
    ) -> None:
        self.cases.write(case_rows)
        pks: dict[uuid.UUID, int] = {}
        for start in range(0, len(case_uuids), LOOKUP_CHUNK):
            pks.update(
                Case.objects.filter(uuid__in=case_uuids[start : start + LOOKUP_CHUNK]).values_list(
                    "uuid", "pk"
                )
            )
        at = self.right_case
        self.rights.write(
            (*row[:at], pks[case_uuid], *row[at + 1 :]) for case_uuid, row in right_rows
        )
        self.records.write(record_rows)


# The batch a pool's forked workers prepare chunks for: set by CasesBatch._pool_start just
# before forking, so that each worker finds it in its copy of this module.
_FORKED_BATCH: CasesBatch | None = None


def _prepared_in_worker(
    rows: list[Row], identified: list[date], references: list[str]
) -> tuple[list[uuid.UUID], bytes]:
    assert _FORKED_BATCH is not None  # noqa: S101 - forked after it was set
    return _FORKED_BATCH.prepared(rows, identified, references)

"""Drawing one fictional case file and its dated events: pure, deterministic for a random stream.

Values are plain dicts by attribute name, not model instances (at a million files instantiating
models costs more than everything else together). The events of a file (placements, age
assessments and appeals, proceedings, hearings, compensation, status moves) follow its own
story: dates in order, never in the future, the state machine's moves only.
"""

import itertools
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

from vigie.cases.ages import age_on, majority_month
from vigie.cases.services.opening import full_name_index

from . import data

T = TypeVar("T")
Row = dict[str, Any]

NOTED_CASES = 300  # the first cases also get a timeline note, for realistic case pages
RETENTION_DAYS = 730  # CNIL 2022-008, as `vigie retention` applies it (VIGIE_RETENTION_DAYS)


class Weighted(Generic[T]):
    """A weighted choice with its cumulative weights computed once (same draws as choices())."""

    def __init__(self, pairs: Sequence[tuple[T, int]]) -> None:
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(itertools.accumulate(weight for _value, weight in pairs))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cumulative, k=1)[0]


FORMS = Weighted([(profile, profile[1]) for profile in data.EXPLOITATION_PROFILES])
AGES = Weighted(data.AGE_WEIGHTS)
CARE_STATUSES = Weighted(data.CARE_STATUSES)
REFERRAL_SOURCES = Weighted(data.REFERRAL_SOURCES)
NATIONALITIES = {profile[0]: Weighted(profile[4]) for profile in data.EXPLOITATION_PROFILES}
ACTIVE_STATUSES = Weighted(data.ACTIVE_STATUS_WEIGHTS)
CLOSE_REASONS = Weighted(data.CLOSE_REASONS)
PLACEMENTS = Weighted(data.PLACEMENT_KINDS)
PLACEMENTS_UNACCOMPANIED = Weighted(data.PLACEMENT_KINDS_UNACCOMPANIED)
HEARING_PLACES = Weighted((("uaped", 45), ("police_station", 40), ("court", 10), ("other", 5)))
RECORDINGS = Weighted((("made", 60), ("refused", 15), ("not_made", 25)))
NON_PUNISHMENT = Weighted((("to_raise", 40), ("raised", 25), ("granted", 20), ("refused", 15)))
STATUS_PATHS = {
    # The moves leading to each final status (vigie/cases/services/status.py ALLOWED_MOVES).
    "open": (),
    "identified": ("identified",),
    "protected": ("identified", "protected"),
    "transition": ("identified", "protected", "transition"),
    "transferred": ("identified", "transferred"),
}


@dataclass
class DemoFile:
    """One case file's row and the rows of its events (their ``case_id`` set after insertion)."""

    case: Row
    events: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, kind: str, row: Row) -> None:
        self.events.setdefault(kind, []).append(row)


@dataclass(frozen=True)
class Holder:
    """An organisation holding files: its primary key, départements and caseworkers' keys."""

    pk: int
    departements: tuple[str, ...]
    worker_pks: tuple[int, ...]


def reference(seed: int, index: int) -> str:
    return f"DEMO{seed}-{index:07d}"


class FileDrawer:
    """Draws file ``index`` of a seed from a random stream of its own.

    File i is the same whatever the number of files, and files can be drawn in any order, in
    several processes at once (vigie/demo/services.py).
    """

    def __init__(self, *, seed: int, holders: Sequence[Holder], today: date) -> None:
        self.seed = seed
        self.holders = holders
        self.today = today
        self.now = datetime.combine(today, time(12), tzinfo=UTC)
        # Fictional data, reproducible on purpose: not a security use of randomness.
        self.rng = random.Random(seed)  # nosec B311

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _on(self, start: date, low: int, high: int) -> date | None:
        """A day ``low``..``high`` days after ``start``; None when that is still to come."""
        day = start + timedelta(days=self.rng.randint(low, high))
        return day if day <= self.today else None

    def _base(self, moment: datetime | None = None) -> Row:
        stamp = moment or self.now
        return {"uuid": self._uuid(), "created_at": stamp, "updated_at": stamp}

    def draw(self, index: int) -> DemoFile:
        self.rng = rng = random.Random(f"vigie-demo:{self.seed}:{index}")  # nosec B311
        today = self.today
        form, _weight, girls, unaccompanied_share, _nationalities = FORMS.draw(rng)
        extra_form = FORMS.draw(rng)[0] if rng.random() < 0.15 else None
        holder = self.holders[rng.randrange(len(self.holders))]
        gender = "girl" if rng.random() < girls else "boy"
        if rng.random() < 0.02:
            gender = rng.choice(("other", "unknown"))
        age = AGES.draw(rng)
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
        nationality = NATIONALITIES[form].draw(rng)
        care_status = CARE_STATUSES.draw(rng) if age < 18 else rng.choice(("ase", "none"))
        departement = rng.choice(holder.departements)
        known_birth_date = birth_date if exact_birth_date else None
        birth_year: int | None = birth_date.year
        if not age_disputed and rng.random() < 0.03:
            # No papers and no estimate yet: the age is unknown (presumed a minor).
            known_birth_date = birth_year = None
        age_now = age_on(birth_date, today)
        followed_days = (today - identified_on).days

        case: Row = {
            "uuid": self._uuid(),
            "created_at": self.now,
            "updated_at": self.now,
            "created_by_id": None,
            "organisation_id": holder.pk,
            "reference": reference(self.seed, index),
            "first_name": first_name,
            "last_name": last_name,
            "aliases": aliases,
            "name_index": full_name_index(first_name, last_name),
            "birth_date": known_birth_date,
            "birth_year": birth_year,
            "majority_month": majority_month(
                birth_date=known_birth_date, birth_year=birth_year, disputed=age_disputed
            ),
            "age_disputed": age_disputed,
            "gender": gender,
            "nationality": nationality,
            "languages": self._languages(nationality),
            "unaccompanied": unaccompanied,
            "care_status": care_status,
            "departement": departement,
            "exploitation_forms": sorted({form} | ({extra_form} if extra_form else set())),
            "referral_source": REFERRAL_SOURCES.draw(rng),
            "identified_on": identified_on,
            "assigned_to_id": (
                None
                if rng.random() < data.UNASSIGNED_SHARE or not holder.worker_pks
                else holder.worker_pks[rng.randrange(len(holder.worker_pks))]
            ),
            "guardianship": self._guardianship(age_now, unaccompanied, care_status),
            "disability": rng.random() < 0.04,
            "pregnant": gender == "girl" and 13 <= age_now <= 20 and rng.random() < 0.04,
            "children_count": (
                (2 if rng.random() < 0.1 else 1)
                if gender == "girl" and age_now >= 15 and rng.random() < 0.03
                else 0
            ),
            "substances": self._substances(form),
            "schooling": self._schooling(age_now),
            "exploitation_started_on": identified_on - timedelta(days=rng.randint(30, 700)),
            "exploitation_ended_on": (
                identified_on - timedelta(days=rng.randint(0, 30)) if rng.random() < 0.6 else None
            ),
        }
        demo_file = DemoFile(case=case)
        self._status(demo_file, age_now=age_now, followed_days=followed_days)
        self._ad_hoc_administrator(demo_file, age=age, departement=departement)
        self._placements(demo_file, age_now=age_now)
        self._age_dispute(demo_file, age=age)
        self._proceedings(demo_file, form=form, departement=departement)
        if index < NOTED_CASES:
            demo_file.add(
                "notes",
                {
                    **self._base(),
                    "created_by_id": None,
                    "text": rng.choice(data.NOTE_TEXTS),
                    "written_on": identified_on,
                },
            )
        return demo_file

    # --- The parts of a file -------------------------------------------------------------------

    def _languages(self, nationality: str) -> str:
        spoken = data.LANGUAGES.get(nationality, ("français",))
        count = min(len(spoken), 1 + (self.rng.random() < 0.5))
        return ", ".join(spoken[:count])

    def _guardianship(self, age_now: int, unaccompanied: bool, care_status: str) -> str:
        rng = self.rng
        if age_now >= 18:
            return "none"
        if unaccompanied:
            if care_status in ("ase", "both"):
                return rng.choices(("ase_guardianship", "delegation", "none"), (60, 15, 25))[0]
            return rng.choices(("none", "unknown"), (70, 30))[0]
        return rng.choices(
            ("parents", "delegation", "ase_guardianship", "other_guardian", "unknown"),
            (80, 5, 5, 5, 5),
        )[0]

    def _substances(self, form: str) -> list[str]:
        share, substances = data.SUBSTANCES_BY_FORM.get(form, (0.05, ("cannabis", "alcohol")))
        if self.rng.random() >= share:
            return []
        return sorted(self.rng.sample(substances, self.rng.randint(1, 2)))

    def _schooling(self, age_now: int) -> str:
        if age_now < 16:
            return self.rng.choices(("school", "waiting", "none", "unknown"), (50, 20, 20, 10))[0]
        return self.rng.choices(
            ("training", "school", "waiting", "none", "unknown"), (35, 15, 15, 25, 10)
        )[0]

    def _status(self, demo_file: DemoFile, *, age_now: int, followed_days: int) -> None:
        """Final status, its moves, closing, last contact and archiving."""
        rng, today, case = self.rng, self.today, demo_file.case
        identified_on: date = case["identified_on"]
        # Older files are more often closed; support ends at 21 at the latest.
        closed = age_now >= 22 or rng.random() < 0.08 + 0.3 * followed_days / (5 * 365)
        if closed:
            status = "closed"
            path: tuple[str, ...] = (*rng.choice(tuple(STATUS_PATHS.values())), "closed")
        elif rng.random() < 0.05:
            status = "transferred"
            path = STATUS_PATHS[status]
        else:
            status = "open" if followed_days < 20 else ACTIVE_STATUSES.draw(rng)
            if status == "transition" and age_now < 17:
                status = "protected"
            path = STATUS_PATHS[status]
        case["closed_at"] = None
        case["closed_reason"] = ""
        ended_on = today
        if status in ("closed", "transferred"):
            ended_on = identified_on + timedelta(days=rng.randint(0, followed_days))
        # The moves, spread between identification and the end of the story.
        span = (ended_on - identified_on).days
        move_days = sorted(rng.randint(0, span) for _move in path)
        previous = "open"
        for position, (to_status, offset) in enumerate(zip(path, move_days, strict=True)):
            # Moves of the same day keep their order (a minute apart).
            moment = datetime.combine(
                identified_on + timedelta(days=offset), time(10, position), UTC
            )
            reason = CLOSE_REASONS.draw(rng) if to_status == "closed" else ""
            demo_file.add(
                "status_changes",
                {
                    **self._base(moment),
                    "created_by_id": case["assigned_to_id"],
                    "from_status": previous,
                    "to_status": to_status,
                    "reason": reason,
                },
            )
            previous = to_status
            if to_status == "closed":
                case["closed_at"] = moment
                case["closed_reason"] = reason
        case["status"] = status
        if status == "closed":
            ended_on = case["closed_at"].date()
        if status in ("closed", "transferred"):
            last_contact = ended_on
        else:
            last_contact = today - timedelta(days=rng.randint(0, min(followed_days, 90)))
        case["last_contact_on"] = last_contact
        case["archived_at"] = None
        if (today - last_contact).days > RETENTION_DAYS:
            # `vigie retention` has archived it (at the next nightly run after the two years).
            archived_on = min(
                last_contact + timedelta(days=RETENTION_DAYS + rng.randint(1, 30)), today
            )
            case["archived_at"] = datetime.combine(archived_on, time(3), UTC)
        # The earliest open right's deadline: set by the rights plan (vigie/demo/rights.py).
        case["next_due_on"] = None

    def _ad_hoc_administrator(self, demo_file: DemoFile, *, age: int, departement: str) -> None:
        """CPP art. 706-50: requested for unaccompanied minor victims and when parents fail."""
        rng, case = self.rng, demo_file.case
        case["ad_hoc_administrator_requested_on"] = None
        case["ad_hoc_administrator_appointed_on"] = None
        case["ad_hoc_administrator_appointed_by"] = ""
        case["ad_hoc_administrator_name"] = ""
        needed = age < 18 and (case["unaccompanied"] or rng.random() < 0.15)
        if not needed or rng.random() < 0.1:
            return
        requested = self._on(case["identified_on"], 0, 40)
        if requested is None:
            return
        case["ad_hoc_administrator_requested_on"] = requested
        appointed = self._on(requested, 7, 180) if rng.random() < 0.7 else None
        if appointed is not None:
            case["ad_hoc_administrator_appointed_on"] = appointed
            case["ad_hoc_administrator_appointed_by"] = rng.choice(
                data.APPOINTING_AUTHORITIES.get(departement, ("Parquet des mineurs (démo)",))
            )
            case["ad_hoc_administrator_name"] = rng.choice(data.AD_HOC_ADMINISTRATORS)

    def _placements(self, demo_file: DemoFile, *, age_now: int) -> None:
        rng, case = self.rng, demo_file.case
        if case["status"] == "open" and rng.random() < 0.5:
            return
        kinds = PLACEMENTS_UNACCOMPANIED if case["unaccompanied"] else PLACEMENTS
        active = case["status"] not in ("closed", "transferred")
        end: date = case["closed_at"].date() if case.get("closed_at") else self.today
        start: date | None = self._on(case["identified_on"], 0, 20)
        count = rng.randint(1, 3)
        for number in range(count):
            if start is None or start > end:
                return
            kind = kinds.draw(rng)
            if kind != "street" and (case["pregnant"] or case["children_count"]):
                kind = "mother_child_centre"
            last = number == count - 1
            ended_on: date | None = start + timedelta(days=rng.randint(20, 300))
            if ended_on is not None and ended_on > end:
                ended_on = end
            if last and active:
                ended_on = None
            demo_file.add(
                "placements",
                {
                    **self._base(),
                    "created_by_id": None,
                    "kind": kind,
                    "started_on": start,
                    "ended_on": ended_on,
                    "departement": case["departement"],
                },
            )
            if ended_on is None:
                return
            start = ended_on + timedelta(days=rng.randint(0, 5))

    def _age_dispute(self, demo_file: DemoFile, *, age: int) -> None:
        """Disputed ages: an assessment said adult (or could not say) and the appeal waits."""
        rng, case = self.rng, demo_file.case
        if case["age_disputed"]:
            assessed = self._on(case["identified_on"], 3, 40)
            if assessed is None:
                return
            outcome = "adult" if rng.random() < 0.65 else "undetermined"
            self._assessment(demo_file, assessed, outcome)
            if outcome == "adult" and rng.random() < 0.75:
                filed = self._on(assessed, 5, 45)
                if filed is not None:
                    self._appeal(demo_file, filed, None, "")
        elif case["unaccompanied"] and 13 <= age <= 17 and rng.random() < 0.2:
            # A dispute already settled: minority recognised, at once or on appeal.
            assessed = self._on(case["identified_on"], 3, 40)
            if assessed is None:
                return
            if rng.random() < 0.5:
                self._assessment(demo_file, assessed, "minor")
                return
            self._assessment(demo_file, assessed, "adult")
            filed = self._on(assessed, 5, 45)
            decided = self._on(filed, 60, 540) if filed else None
            if filed is not None and decided is not None:
                self._appeal(demo_file, filed, decided, "minor")

    def _assessment(self, demo_file: DemoFile, on: date, outcome: str) -> None:
        demo_file.add(
            "age_assessments",
            {
                **self._base(),
                "created_by_id": None,
                "assessed_on": on,
                "authority": "departement",
                "outcome": outcome,
            },
        )

    def _appeal(self, demo_file: DemoFile, filed: date, decided: date | None, outcome: str) -> None:
        demo_file.add(
            "age_appeals",
            {
                **self._base(),
                "created_by_id": None,
                "filed_on": filed,
                "decided_on": decided,
                "outcome": outcome,
            },
        )

    def _proceedings(self, demo_file: DemoFile, *, form: str, departement: str) -> None:
        rng, case = self.rng, demo_file.case
        court = data.COURTS.get(departement, "Tribunal judiciaire (démo)")
        if form == "forced_criminality" and rng.random() < 0.4:
            # Prosecuted for offences committed under constraint: non-punishment to raise
            # (Council of Europe Convention art. 26, Directive 2011/36/EU art. 8).
            opened = case["identified_on"] - timedelta(days=rng.randint(0, 200))
            non_punishment = NON_PUNISHMENT.draw(rng)
            decided = non_punishment in ("granted", "refused")
            demo_file.add(
                "proceedings",
                {
                    **self._base(),
                    "created_by_id": None,
                    "role": "defendant",
                    "opened_on": opened,
                    "court": court,
                    "non_punishment": non_punishment,
                    "criminal_record_entry": non_punishment != "granted" and rng.random() < 0.3,
                    "closed_on": self._on(opened, 90, 400) if decided else None,
                },
            )
        if rng.random() >= 0.35:
            return
        opened_on = self._on(case["identified_on"], 0, 120)
        if opened_on is None:
            return
        demo_file.add(
            "proceedings",
            {
                **self._base(),
                "created_by_id": None,
                "role": "victim",
                "opened_on": opened_on,
                "court": court,
                "non_punishment": "",
                "criminal_record_entry": False,
                "closed_on": None,
            },
        )
        held = self._on(opened_on, 0, 60) if rng.random() < 0.7 else None
        if held is not None:
            recording = RECORDINGS.draw(rng)
            demo_file.add(
                "hearings",
                {
                    **self._base(),
                    "created_by_id": None,
                    "held_on": held,
                    "place": HEARING_PLACES.draw(rng),
                    "recording": recording,
                    "recording_refused_reason": (
                        rng.choice(data.RECORDING_REFUSED_REASONS) if recording == "refused" else ""
                    ),
                    "trusted_third_party_present": rng.random() < 0.5,
                },
            )
        filed = self._on(opened_on, 60, 400) if rng.random() < 0.25 else None
        if filed is not None:
            awarded_on = self._on(filed, 90, 500) if rng.random() < 0.5 else None
            amount = Decimal(rng.randrange(3000, 30000, 500)) if awarded_on else None
            paid_on = self._on(awarded_on, 30, 200) if awarded_on and rng.random() < 0.6 else None
            demo_file.add(
                "compensation_claims",
                {
                    **self._base(),
                    "created_by_id": None,
                    "filed_on": filed,
                    "body": rng.choice(data.COMPENSATION_BODIES),
                    "amount_awarded": amount,
                    "awarded_on": awarded_on,
                    "amount_paid": amount if paid_on else None,
                    "paid_on": paid_on,
                },
            )

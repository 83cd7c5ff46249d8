"""The demo files' rights plans, evaluated by the rights plan itself (vigie/rights/plan.py).

The plan is pure: it takes a file's facts as plain values. The demo builds them from the rows it
has just drawn, the way vigie/rights/facts.py reads them from the database, and stores the items
as ``rights_plan_refresh`` would for a new plan (vigie/rights/services.py ``_evaluated``), a
million files in bulk instead of one query batch per file.
"""

import random
import uuid
from datetime import date, timedelta
from typing import Any

from vigie.cases.models import ACTIVE_STATUSES, RIGHTS_VIOLATION_PLACEMENTS, SAFE_PLACEMENTS
from vigie.rights.catalogue import Catalogue
from vigie.rights.models import OPEN_STATES, RightState
from vigie.rights.plan import (
    AppealFact,
    CaseFacts,
    CompensationFact,
    PlacementFact,
    ProceedingFact,
    plan_evaluate,
)

from .generate import DemoFile

Row = dict[str, Any]


def _newest_first(rows: list[Row], day: str) -> list[Row]:
    return sorted(rows, key=lambda row: row[day], reverse=True)


def demo_facts(demo_file: DemoFile, *, status: str) -> CaseFacts:
    """The facts of a drawn file (no screening: the demo records none)."""
    case, events = demo_file.case, demo_file.events
    assessments = _newest_first(events.get("age_assessments", []), "assessed_on")
    return CaseFacts(
        identified_on=case["identified_on"],
        status=status,
        birth_date=case["birth_date"],
        birth_year=case["birth_year"],
        age_disputed=case["age_disputed"],
        unaccompanied=case["unaccompanied"],
        guardianship=case["guardianship"],
        nationality=case["nationality"],
        forms=frozenset(case["exploitation_forms"]),
        substances=frozenset(case["substances"]),
        schooling=case["schooling"],
        disability=case["disability"],
        pregnant=case["pregnant"],
        children_count=case["children_count"],
        exploitation_ended_on=case["exploitation_ended_on"],
        ad_hoc_administrator_requested_on=case["ad_hoc_administrator_requested_on"],
        ad_hoc_administrator_appointed_on=case["ad_hoc_administrator_appointed_on"],
        age_assessment_outcome=assessments[0]["outcome"] if assessments else "",
        age_assessed_on=assessments[0]["assessed_on"] if assessments else None,
        placements=tuple(
            PlacementFact(
                kind=row["kind"],
                started_on=row["started_on"],
                ended_on=row["ended_on"],
                safe=row["kind"] in SAFE_PLACEMENTS,
                violation=row["kind"] in RIGHTS_VIOLATION_PLACEMENTS,
            )
            for row in _newest_first(events.get("placements", []), "started_on")
        ),
        appeals=tuple(
            AppealFact(row["filed_on"], row["decided_on"], row["outcome"])
            for row in _newest_first(events.get("age_appeals", []), "filed_on")
        ),
        proceedings=tuple(
            ProceedingFact(
                row["role"],
                row["opened_on"],
                row["non_punishment"],
                row["criminal_record_entry"],
                row["closed_on"],
            )
            for row in _newest_first(events.get("proceedings", []), "opened_on")
        ),
        compensation_claims=tuple(
            CompensationFact(
                row["filed_on"],
                row["amount_awarded"] is not None or row["awarded_on"] is not None,
                row["awarded_on"],
                row["paid_on"],
            )
            for row in _newest_first(events.get("compensation_claims", []), "filed_on")
        ),
    )


# What people did with the rights nobody's file settles: most are done within months, a few
# refused by the young person; recent ones wait. Person-decided, as right_item_update records.
DONE_EVIDENCE = (
    "Attestation reçue (démo).",
    "Rendez-vous honoré, compte rendu au dossier (démo).",
    "Décision notifiée, copie au dossier (démo).",
)
REFUSED_REASON = "La jeune personne ne le souhaite pas pour l'instant (démo)."


def _person_decision(row: Row, *, rng: random.Random, day: date) -> None:
    opened_on: date = row["opened_on"]
    waited = (day - opened_on).days
    if waited <= 30:
        if rng.random() < 0.3:
            row.update(state=RightState.IN_PROGRESS, decided_by_person=True)
        return
    draw = rng.random()
    if draw < min(0.9, 0.35 + waited / 365):
        row.update(
            state=RightState.DONE,
            done_on=opened_on + timedelta(days=rng.randint(1, min(waited, 120))),
            evidence=rng.choice(DONE_EVIDENCE),
            decided_by_person=True,
            automatic_reason="",
        )
    elif draw > 0.97:
        row.update(
            state=RightState.REFUSED,
            reason=REFUSED_REASON,
            decided_by_person=True,
            automatic_reason="",
        )


def demo_plan(demo_file: DemoFile, *, catalogue: Catalogue, today: date) -> None:
    """Add the active file's right items and set its ``next_due_on`` (earliest open deadline).

    Closed, transferred and archived files chase nothing (next_due_on empty); the demo gives them
    no plan, which also keeps a million files' generation within minutes.
    """
    case = demo_file.case
    case["next_due_on"] = None
    if case["status"] not in ACTIVE_STATUSES or case["archived_at"] is not None:
        return
    # Its own random stream, from the file's UUID: the same for the same seed, and drawn only
    # for the files a run adds.
    # Fictional data, reproducible on purpose: not a security use of randomness.
    rng = random.Random(case["uuid"].int)  # nosec B311
    rows: list[Row] = []
    facts = demo_facts(demo_file, status=case["status"])
    for evaluation in plan_evaluate(catalogue=catalogue, facts=facts, today=today):
        if not evaluation.applicable:
            continue
        automatic = evaluation.automatic
        row: Row = {
            "uuid": uuid.uuid5(case["uuid"], evaluation.right_id),
            "created_at": case["created_at"],
            "updated_at": case["updated_at"],
            "created_by_id": None,
            "right_id": evaluation.right_id,
            "catalogue_version": catalogue.version,
            "state": automatic.state if automatic else RightState.TO_DO,
            "opened_on": evaluation.opened_on,
            "due_on": evaluation.due_on,
            "done_on": None,
            "opened_by": evaluation.opened_by,
            "reason": "",
            "evidence": "",
            "decided_by_person": False,
            "automatic_reason": automatic.reason if automatic else "",
        }
        if automatic is not None and automatic.state == RightState.DONE:
            row["done_on"] = automatic.done_on or today
        if automatic is None or not automatic.settled:
            _person_decision(row, rng=rng, day=today)
        rows.append(row)
    demo_file.events["rights"] = rows
    case["next_due_on"] = min(
        (row["due_on"] for row in rows if row["state"] in OPEN_STATES and row["due_on"]),
        default=None,
    )

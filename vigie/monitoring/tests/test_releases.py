"""Releases through the service: budget, reproducibility, threshold, consistency, metadata."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.monitoring.models import LedgerEntry, Release, ReleaseStatus
from vigie.monitoring.services.ledger import budget_get
from vigie.monitoring.services.releases import ReleaseRequest, release_compute, release_request
from vigie.monitoring.tables_spec import tables_parse
from vigie.tests_support.factories import CaseFactory, OrganisationFactory

# Two binary dimensions and their product: every cell holds about 100 files, far above the
# noise, so consistency can be checked on published numbers.
SMALL_SPEC = "unaccompanied,disability;unaccompanied;disability;total"


@pytest.fixture(autouse=True)
def _generous_ledger(settings):
    """Most tests here request several releases; the ledger tests set their own limits."""
    settings.VIGIE_PRIVACY_YEARLY_EPSILON = 100.0
    settings.VIGIE_PRIVACY_YEARLY_DELTA = 1e-3


@pytest.fixture
def files(db):
    """400 files in two organisations, 100 per (unaccompanied, disability) combination, and a
    third organisation that does not take part in statistics."""
    first, second = OrganisationFactory(), OrganisationFactory()
    outsider = OrganisationFactory(in_statistics=False)
    cases = []
    for number, (unaccompanied, disability) in enumerate(
        itertools.product((True, False), repeat=2)
    ):
        for index in range(100):
            cases.append(
                CaseFactory.build(
                    organisation=first if index % 2 else second,
                    reference=f"R-{number}-{index}",
                    unaccompanied=unaccompanied,
                    disability=disability,
                )
            )
    cases += [
        CaseFactory.build(organisation=outsider, reference=f"X-{i}", unaccompanied=True)
        for i in range(50)
    ]
    CaseFactory._meta.model.objects.bulk_create(cases)
    return cases


def _analyst(users):
    return Actor(user=users[("analyst", "a")])


def _request(spec: str = SMALL_SPEC, epsilon: float = 1.0, delta: float = 1e-6, name="Test"):
    return ReleaseRequest(name=name, epsilon=epsilon, delta=delta, tables=tables_parse(spec))


def _table(release: Release, attributes: list[str]) -> dict:
    return next(t for t in release.tables if t["attributes"] == attributes)


def _counts(release: Release, attributes: list[str]) -> dict[tuple, int | None]:
    return {tuple(c["key"]): c["count"] for c in _table(release, attributes)["cells"]}


def test_a_seeded_release_is_reproducible_and_an_opendp_one_is_not(files, users):
    def tables(seed):
        release = release_request(actor=_analyst(users), request=_request(), seed=seed)
        return release_compute(release).tables

    assert tables(seed=3) == tables(seed=3)
    assert tables(seed=3) != tables(seed=4)
    # OpenDP's own noise: two releases of the same tables differ (40 cells of ~100 files:
    # equal by chance with negligible probability).
    first, second = tables(seed=None), tables(seed=None)
    assert [c["count"] for t in first for c in t["cells"]] != [
        c["count"] for t in second for c in t["cells"]
    ]


def test_published_tables_are_consistent_and_count_only_participating_files(files, users):
    release = release_compute(release_request(actor=_analyst(users), request=_request(), seed=1))

    assert release.status == ReleaseStatus.PUBLISHED
    total = _counts(release, [])[()]
    pair = _counts(release, ["disability", "unaccompanied"])
    by_unaccompanied = _counts(release, ["unaccompanied"])
    by_disability = _counts(release, ["disability"])
    assert all(count is not None and count >= 11 for count in pair.values())
    assert sum(pair.values()) == total == release.metadata["total"]
    assert sum(by_unaccompanied.values()) == total
    for value, count in by_unaccompanied.items():
        assert count == sum(c for (_d, u), c in pair.items() if u == value[0])
    for value, count in by_disability.items():
        assert count == sum(c for (d, _u), c in pair.items() if d == value[0])
    # 400 participating files; the outsider's 50 are not counted (the noise deviation is about 10).
    assert 340 < total < 460


def test_no_published_cell_is_below_the_threshold(files, users):
    # Nationality: 250 values, all but one empty: almost every cell falls below the threshold.
    release = release_compute(
        release_request(
            actor=_analyst(users), request=_request("nationality;gender,unaccompanied"), seed=5
        )
    )
    cells = [cell for table in release.tables for cell in table["cells"]]
    suppressed = [cell for cell in cells if cell["count"] is None]
    assert suppressed, "a table of 250 nationalities over 400 files must have small cells"
    for cell in cells:
        if cell["count"] is None:
            assert cell["low"] is None and cell["high"] is None
        else:
            assert cell["count"] >= release.threshold
            assert cell["low"] <= cell["count"] <= cell["high"]


def test_the_metadata_describe_the_mechanism_and_budget(files, users):
    release = release_compute(release_request(actor=_analyst(users), request=_request(), seed=2))
    meta = release.metadata
    assert meta["epsilon"] == 1.0 and meta["delta"] == 1e-6
    assert meta["threshold"] == 11
    assert "Gaussian" in meta["mechanism"] and meta["sigma"] > 0 and meta["rho"] > 0
    assert meta["query"]["tables"] == "disability,unaccompanied;unaccompanied;disability;total"
    assert meta["noise"].startswith("numpy, seeded")
    assert all(cell["se"] > 0 for table in release.tables for cell in table["cells"])


def test_the_ledger_refuses_to_overspend_the_year(files, users):
    with override_settings(VIGIE_PRIVACY_YEARLY_EPSILON=2.0):
        release_request(actor=_analyst(users), request=_request(epsilon=1.5))
        with pytest.raises(ValidationError) as refused:
            release_request(actor=_analyst(users), request=_request(epsilon=0.6))
        assert "epsilon" in refused.value.message_dict
        # What is left can still be spent, exactly.
        release_request(actor=_analyst(users), request=_request(epsilon=0.5))
        budget = budget_get(timezone.localdate().year)
    assert budget.epsilon_spent == pytest.approx(2.0)
    assert LedgerEntry.objects.count() == 2
    assert Release.objects.count() == 2  # the refused request left nothing behind


def test_the_ledger_refuses_an_overspent_delta(files, users):
    with override_settings(VIGIE_PRIVACY_YEARLY_DELTA=1.5e-6):
        release_request(actor=_analyst(users), request=_request(delta=1e-6))
        with pytest.raises(ValidationError) as refused:
            release_request(actor=_analyst(users), request=_request(delta=1e-6))
    assert "delta" in refused.value.message_dict


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (ReleaseRequest(name="", epsilon=1, delta=1e-6, tables=(("gender",),)), "name"),
        (ReleaseRequest(name="x", epsilon=0, delta=1e-6, tables=(("gender",),)), "epsilon"),
        (ReleaseRequest(name="x", epsilon=1, delta=0.5, tables=(("gender",),)), "delta"),
        (ReleaseRequest(name="x", epsilon=1, delta=1e-6, tables=(("shoe_size",),)), "tables"),
        (
            ReleaseRequest(name="x", epsilon=1, delta=1e-6, tables=(("gender", "form", "year"),)),
            "tables",
        ),
    ],
)
def test_bad_requests_name_their_field_and_write_nothing(users, request_, field):
    with pytest.raises(ValidationError) as refused:
        release_request(actor=_analyst(users), request=request_)
    assert field in refused.value.message_dict
    assert not Release.objects.exists() and not LedgerEntry.objects.exists()


def test_only_analysts_request_releases(users):
    with pytest.raises(PermissionDenied):
        release_request(actor=Actor(user=users[("coordinator", "a")]), request=_request())


@override_settings(VIGIE_ALLOW_SEEDED_RELEASES=False)
def test_a_seed_is_refused_outside_tests(users):
    with pytest.raises(ValidationError) as refused:
        release_request(actor=_analyst(users), request=_request(), seed=1)
    assert "seed" in refused.value.message_dict


def test_requesting_and_publishing_are_audited(files, users):
    release = release_compute(release_request(actor=_analyst(users), request=_request(), seed=1))
    actions = {
        event.action
        for event in AuditEvent.objects.all()
        if str(release.uuid) in event.object_uuids
    }
    assert {AuditAction.RELEASE_CREATE, AuditAction.RELEASE_PUBLISH} <= actions


def test_a_release_of_one_year_counts_the_files_followed_during_it(db, users):
    from datetime import datetime

    organisation = OrganisationFactory()
    CaseFactory._meta.model.objects.bulk_create(
        [
            # Followed in 2024: opened before, still open; opened in 2024; closed in 2024.
            *(
                CaseFactory.build(
                    organisation=organisation, reference=f"A{i}", identified_on="2023-05-01"
                )
                for i in range(60)
            ),
            *(
                CaseFactory.build(
                    organisation=organisation,
                    reference=f"B{i}",
                    identified_on="2024-03-01",
                    closed_at=datetime(2024, 9, 1, tzinfo=timezone.get_current_timezone()),
                )
                for i in range(60)
            ),
            # Not followed in 2024: closed in 2023, or opened in 2025.
            *(
                CaseFactory.build(
                    organisation=organisation,
                    reference=f"C{i}",
                    identified_on="2022-01-01",
                    closed_at=datetime(2023, 6, 1, tzinfo=timezone.get_current_timezone()),
                )
                for i in range(200)
            ),
            *(
                CaseFactory.build(
                    organisation=organisation, reference=f"D{i}", identified_on="2025-01-01"
                )
                for i in range(200)
            ),
        ]
    )
    request = ReleaseRequest(
        name="Enquête 2024", epsilon=1, delta=1e-6, tables=(("unaccompanied",),), followed_in=2024
    )
    release = release_compute(release_request(actor=_analyst(users), request=request, seed=9))
    assert release.metadata["query"]["followed_in"] == 2024
    total = sum(c["count"] or 0 for c in release.tables[0]["cells"])
    assert 80 < total < 160  # 120 files followed in 2024; the 400 others are not counted


def test_a_year_still_to_come_is_refused(users):
    request = ReleaseRequest(
        name="x", epsilon=1, delta=1e-6, tables=(("gender",),), followed_in=2999
    )
    with pytest.raises(ValidationError) as refused:
        release_request(actor=_analyst(users), request=request)
    assert "followed_in" in refused.value.message_dict


def test_the_progress_is_reported_step_by_step_in_the_interface_language(files, users):
    steps: list[tuple[str, float]] = []
    release = release_request(actor=_analyst(users), request=_request(), seed=1)
    release_compute(release, progress=lambda step, fraction: steps.append((step, fraction)))

    labels = [step for step, _fraction in steps]
    assert labels[0] == "Lecture des dossiers"
    assert {"Comptage", "Ajout du bruit (OpenDP)", "Arrondi"} <= set(labels)
    fractions = [fraction for _step, fraction in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    release.refresh_from_db()
    assert release.progress == 100 and release.progress_step == ""

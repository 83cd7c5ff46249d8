"""Reading a case file is audited, and no case page is served without its audit record."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from vigie.audit.models import AuditAction, AuditChainHead, AuditEvent, AuditEventSubject
from vigie.cases.models import CaseNote
from vigie.core.tests.url_matrix import iter_url_patterns
from vigie.tests_support.audit_reads import Read
from vigie.tests_support.case_urls import case_url
from vigie.tests_support.factories import CaseFactory, UserFactory
from vigie.tests_support.factories_alerts import archive_for_tests

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.7"


_EVENT_RECORDED = [AuditAction.CASE_VIEW, AuditAction.CASE_EVENT_RECORD]

# How to exercise each case-reading URL and what it must write. A new case URL appears in
# READING_URL_NAMES by itself and fails below until its audit is declared here.
READS = {
    "cases:list": Read("GET", [AuditAction.CASE_LIST]),
    "cases:detail": Read("GET", [AuditAction.CASE_VIEW]),
    "cases:note_add": Read(
        "POST",
        [AuditAction.CASE_VIEW, AuditAction.CASE_NOTE_ADD],
        {"text": "Entretien avec la jeune fille, orientation vers l'UAPED."},
    ),
    "cases:access_log": Read("GET", [AuditAction.CASE_ACCESS_LOG_VIEW]),
    # Dated events: the page reads the file, then the event is recorded.
    "cases:event_age_assessment": Read(
        "POST",
        _EVENT_RECORDED,
        {"assessed_on": "2024-05-02", "authority": "departement", "outcome": "adult"},
    ),
    "cases:event_age_appeal": Read("POST", _EVENT_RECORDED, {"filed_on": "2024-05-02"}),
    "cases:event_age_appeal_decide": Read(
        "POST", _EVENT_RECORDED, {"decided_on": "2024-06-01", "outcome": "minor"}
    ),
    "cases:event_placement": Read(
        "POST", _EVENT_RECORDED, {"kind": "hotel", "started_on": "2024-05-02"}
    ),
    "cases:event_placement_end": Read("POST", _EVENT_RECORDED, {"ended_on": "2024-06-01"}),
    "cases:event_proceeding": Read(
        "POST", _EVENT_RECORDED, {"role": "defendant", "opened_on": "2024-05-02"}
    ),
    "cases:event_proceeding_update": Read("POST", _EVENT_RECORDED, {"non_punishment": "raised"}),
    "cases:event_hearing": Read(
        "POST", _EVENT_RECORDED, {"held_on": "2024-05-02", "place": "uaped", "recording": "made"}
    ),
    "cases:event_compensation": Read("POST", _EVENT_RECORDED, {"filed_on": "2024-05-02"}),
    "cases:event_compensation_update": Read(
        "POST",
        _EVENT_RECORDED,
        {"filed_on": "2024-01-20", "amount_awarded": "1500", "awarded_on": "2024-09-01"},
    ),
    "cases:archive_open": Read(
        "POST", [AuditAction.CASE_ARCHIVE_VIEW], {"reason": "court_request"}, archived=True
    ),
    "cases:document_add": Read("GET", [AuditAction.CASE_VIEW]),
    "cases:document": Read("GET", [AuditAction.CASE_DOCUMENT_VIEW]),
    "cases:document_delete": Read(
        "POST", [AuditAction.CASE_VIEW, AuditAction.CASE_DOCUMENT_DELETE]
    ),
    "cases:edit": Read(
        "POST",
        [AuditAction.CASE_VIEW, AuditAction.CASE_UPDATE],
        {
            "version": "1",
            "first_name": "Aminata",
            "gender": "girl",
            "guardianship": "ase_guardianship",
            "care_status": "ase",
            "schooling": "training",
            "children_count": "0",
        },
    ),
    "cases:status": Read(
        "POST",
        [AuditAction.CASE_VIEW, AuditAction.CASE_STATUS_CHANGE],
        {"version": "1", "to_status": "identified"},
    ),
    "cases:history": Read("GET", [AuditAction.CASE_HISTORY_VIEW]),
    "identification:screening_create": Read(
        "POST",
        [AuditAction.CASE_VIEW, AuditAction.CASE_SCREENING],
        {"age": "15", "situations": ["prostitution"]},
    ),
    "identification:screening_detail": Read("GET", [AuditAction.CASE_VIEW]),
    "rights:item_update": Read(
        "POST",
        [AuditAction.CASE_VIEW, AuditAction.RIGHT_UPDATE],
        {"state": "in_progress", "reason": "Rendez-vous pris avec le parquet."},
    ),
}


def _other_parts_reads() -> dict[str, Read]:
    from vigie.cases.tests import conventions_exports
    from vigie.network.tests import (
        conventions_directory,
        conventions_notifications,
        conventions_places,
        conventions_referrals,
        conventions_transfers,
    )

    reads: dict[str, Read] = {}
    for part in (
        conventions_referrals,
        conventions_transfers,
        conventions_directory,
        conventions_places,
        conventions_notifications,
        conventions_exports,
    ):
        reads |= part.READS
    return reads


READS |= _other_parts_reads()
READING_URL_NAMES = sorted(
    {e.name for e in iter_url_patterns() if "case_uuid" in e.params} | {"cases:list"}
)


def _url(name: str, case) -> str:
    if name == "cases:list":
        return reverse(name)
    return case_url(name, case)


def _send(client, name: str, case):
    read = READS.get(name)
    assert read is not None, f"{name} reads case files: declare its audit events in READS"
    if read.archived:
        archive_for_tests(case)
    if read.method == "GET":
        return client.get(_url(name, case), REMOTE_ADDR=CLIENT_IP)
    return client.post(_url(name, case), read.data, REMOTE_ADDR=CLIENT_IP)


def _last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_reading_urls_are_found():
    assert {"cases:list", "cases:detail", "cases:note_add"} <= set(READING_URL_NAMES)


@pytest.mark.parametrize("name", READING_URL_NAMES)
def test_every_case_reading_url_writes_who_read_what_from_where(
    name, users, org_a, case_a, client_for
):
    """Given a coordinator of A, when they open a page of case A, then one event per declared
    action names the case, the coordinator, their organisation and role, and the request's IP."""
    coordinator = users[("coordinator", "a")]
    client = client_for(coordinator)
    since = _last_sequence()

    response = _send(client, name, case_a)

    assert response.status_code in (200, 302)
    events = list(AuditEvent.objects.filter(sequence__gt=since).order_by("sequence"))
    assert [e.action for e in events] == READS[name].actions
    for event in events:
        assert str(case_a.uuid) in event.object_uuids
        assert event.actor_uuid == coordinator.uuid
        assert event.organisation_uuid == org_a.uuid
        assert event.role == "coordinator"
        assert event.ip_address == CLIENT_IP
        # The "who accessed this file" index agrees with the event.
        assert AuditEventSubject.objects.filter(event=event, object_uuid=case_a.uuid).exists()


def test_the_list_writes_one_event_naming_every_listed_case(
    users, org_a, org_b, case_a, case_b, client_for
):
    others_open = [CaseFactory(organisation=org_a) for _ in range(2)]
    closed = CaseFactory(organisation=org_a, status="closed")
    client = client_for(users[("caseworker", "a")])
    since = _last_sequence()

    response = client.get(reverse("cases:list"), REMOTE_ADDR=CLIENT_IP)

    assert response.status_code == 200
    events = list(AuditEvent.objects.filter(sequence__gt=since))
    assert len(events) == 1
    listed = sorted(str(c.uuid) for c in [case_a, *others_open])
    assert events[0].action == AuditAction.CASE_LIST
    assert sorted(events[0].object_uuids) == listed
    assert str(case_b.uuid) not in events[0].object_uuids
    assert str(closed.uuid) not in events[0].object_uuids
    assert events[0].organisation_uuid == org_a.uuid
    assert events[0].ip_address == CLIENT_IP


def test_the_access_log_shows_who_opened_the_file(users, org_a, case_a, client_for):
    caseworker = users[("caseworker", "a")]
    client_for(caseworker).get(
        reverse("cases:detail", kwargs={"case_uuid": case_a.uuid}), REMOTE_ADDR="198.51.100.23"
    )
    # Neither an outsider's refused attempt nor a colleague's reading of another file belongs
    # in this file's log.
    outsider = users[("caseworker", "b")]
    client_for(outsider).get(reverse("cases:detail", kwargs={"case_uuid": case_a.uuid}))
    colleague = UserFactory(role="caseworker", organisation=org_a, full_name="Colleague Elsewhere")
    other_case = CaseFactory(organisation=org_a)
    client_for(colleague).get(reverse("cases:detail", kwargs={"case_uuid": other_case.uuid}))

    response = client_for(users[("coordinator", "a")]).get(
        reverse("cases:access_log", kwargs={"case_uuid": case_a.uuid})
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"{caseworker.full_name} ({org_a.name})" in page
    assert "198.51.100.23" in page
    assert outsider.full_name not in page
    assert colleague.full_name not in page


@pytest.fixture
def failing_audit(monkeypatch):
    """AuditEvent.save raises for the given actions (all of them by default)."""
    original_save = AuditEvent.save

    def install(actions=None):
        def save(self, *args, **kwargs):
            if actions is None or self.action in actions:
                raise DatabaseError("audit store unavailable")
            return original_save(self, *args, **kwargs)

        monkeypatch.setattr(AuditEvent, "save", save)

    return install


@pytest.mark.parametrize("name", READING_URL_NAMES)
def test_no_case_page_is_served_when_its_audit_cannot_be_written(
    name, users, case_a, client_for, failing_audit
):
    client = client_for(users[("coordinator", "a")])
    client.raise_request_exception = False
    since = _last_sequence()
    failing_audit()

    response = _send(client, name, case_a)

    assert response.status_code == 500
    page = response.content.decode()
    assert case_a.reference not in page
    assert case_a.last_name not in page
    assert _last_sequence() == since
    assert not CaseNote.objects.filter(case=case_a).exists()


def test_a_note_is_not_kept_when_its_audit_record_fails(
    users, case_a, client_for, failing_audit, monkeypatch
):
    """The note row is written before its audit event: the request's transaction takes it back."""
    client = client_for(users[("caseworker", "a")])
    client.raise_request_exception = False
    head_before = AuditChainHead.objects.values().first()
    since = _last_sequence()
    note_saves = []
    original_note_save = CaseNote.save

    def spy_save(self, *args, **kwargs):
        note_saves.append(self.pk)
        return original_note_save(self, *args, **kwargs)

    monkeypatch.setattr(CaseNote, "save", spy_save)
    failing_audit(actions={AuditAction.CASE_NOTE_ADD})

    response = client.post(
        reverse("cases:note_add", kwargs={"case_uuid": case_a.uuid}),
        {"text": "Elle a donné le nom du réseau."},
    )

    assert response.status_code == 500
    assert len(note_saves) == 1, "the note was never written: this test would prove nothing"
    assert not CaseNote.objects.filter(case=case_a).exists()
    # The read event written earlier in the same request is gone too: all or nothing.
    assert _last_sequence() == since
    assert AuditChainHead.objects.values().first() == head_before

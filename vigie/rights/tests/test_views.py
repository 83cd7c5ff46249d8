"""The rights plan on the case page, and the page updating one right."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.audit.services import Actor
from vigie.cases.services import case_open
from vigie.rights.catalogue import load_catalogue
from vigie.rights.models import RightItem
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_rights import RightItemFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def case(clock, users):
    """An unaccompanied 15-year-old in forced criminality, opened five days ago."""
    return case_open(
        actor=Actor(user=users[("caseworker", "a")]),
        birth_date=date(2010, 9, 14),
        unaccompanied=True,
        exploitation_forms=["forced_criminality"],
        identified_on=TODAY - timedelta(days=5),
    )


def _item(case, right_id="ad_hoc_administrator") -> RightItem:
    return RightItem.objects.get(case=case, right_id=right_id)


def _url(case, item) -> str:
    return reverse("rights:item_update", kwargs={"case_uuid": case.uuid, "right_uuid": item.uuid})


def test_the_case_page_shows_the_plan_with_deadlines_in_words(case, users, client_for):
    client = _english(client_for(users[("caseworker", "a")]))

    page = client.get(case.get_absolute_url()).content.decode()

    labels = load_catalogue().rights
    assert 'id="rights"' in page
    assert labels["ad_hoc_administrator"].label["en"] in page
    # Opened five days ago with three days to act: late, said in words, not only a colour.
    assert "Overdue by 2 days" in page
    assert "Overdue by 4 days" in page  # safe accommodation, one day
    assert "Due in 10 days" in page  # non-punishment, fifteen days
    assert "Code de procédure pénale art. 706-50" in page  # the legal basis, in its details
    assert "Collectif Ensemble contre la traite" in page  # and the seed report's paragraph
    assert "The case file" in page  # what opened it
    assert page.count('action="' + _url(case, _item(case)) + '"') == 1
    assert 'id="id_ad_hoc_administrator_state"' in page


def test_the_plan_names_the_screening_that_opened_a_right(case, users, client_for):
    from vigie.identification.services import screening_record

    screening_record(
        actor=Actor(user=users[("caseworker", "a")]),
        case=case,
        data={"age": 15, "situations": ["offences_under_constraint"], "unaccompanied": True},
    )
    client = _english(client_for(users[("caseworker", "a")]))
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Screening: Refer to the juvenile judge: child in danger" in page


def test_a_reader_who_cannot_edit_sees_the_plan_without_update_links(case):
    """The plan's template serves readers too (a referral sharing the plan): without can_edit,
    no link to change a right."""
    from django.template.loader import render_to_string

    from vigie.rights.selectors import rights_plan_for_case

    page = render_to_string(
        "rights/_plan.html", {"case": case, "rights": rights_plan_for_case(case=case)}
    )
    update = reverse(
        "rights:item_update", kwargs={"case_uuid": case.uuid, "right_uuid": _item(case).uuid}
    )
    assert 'id="rights"' in page
    assert update not in page
    editable = render_to_string(
        "rights/_plan.html",
        {"case": case, "rights": rights_plan_for_case(case=case), "can_edit": True},
    )
    assert update in editable


def test_an_editor_updates_a_right_and_returns_to_the_plan(case, users, client_for):
    client = client_for(users[("caseworker", "a")])
    item = _item(case, "identity_documents")

    response = client.post(
        _url(case, item),
        {"state": "done", "evidence": "Passeport récupéré", "done_on": "2026-03-01"},
    )

    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url() + "#rights"
    item.refresh_from_db()
    assert (item.state, item.done_on, item.evidence) == (
        "done",
        date(2026, 3, 1),
        "Passeport récupéré",
    )
    assert AuditEvent.objects.filter(
        action="right.update", subjects__object_uuid=item.uuid
    ).exists()


def test_an_incomplete_update_shows_the_form_again_with_422(case, users, client_for):
    client = _english(client_for(users[("coordinator", "a")]))
    item = _item(case)

    response = client.post(_url(case, item), {"state": "refused", "reason": ""})

    assert response.status_code == 422
    page = response.content.decode()
    assert "<h1>" + load_catalogue().rights["ad_hoc_administrator"].label["en"] in page
    assert "Say why: it is kept with the plan." in page
    item.refresh_from_db()
    assert item.state == "to_do"


def test_a_state_the_file_contradicts_is_refused_on_the_page(case, users, client_for):
    from vigie.cases.models import Case

    Case.objects.filter(pk=case.pk).update(ad_hoc_administrator_appointed_on=TODAY)
    client = _english(client_for(users[("caseworker", "a")]))
    response = client.post(_url(case, _item(case)), {"state": "blocked", "reason": "Attente"})
    assert response.status_code == 422
    assert "The case file settles this right" in response.content.decode()


def test_the_update_page_opens_for_editors(case, users, client_for):
    client = client_for(users[("caseworker", "a")])
    response = client.get(_url(case, _item(case)))
    assert response.status_code == 200
    assert 'name="state"' in response.content.decode()


@pytest.mark.parametrize(
    "who", [("caseworker", "b"), ("coordinator", "b"), ("analyst", "a"), ("org_admin", "a")]
)
def test_outsiders_and_non_editors_get_404_and_change_nothing(who, case, users, client_for):
    client = client_for(users[who])
    item = _item(case)
    assert client.get(_url(case, item)).status_code == 404
    assert client.post(_url(case, item), {"state": "in_progress"}).status_code == 404
    item.refresh_from_db()
    assert item.state == "to_do"


def test_a_right_of_another_case_is_not_found_through_this_one(case, users, client_for, org_a):
    other = RightItemFactory(case=CaseFactory(organisation=org_a))
    client = client_for(users[("caseworker", "a")])
    response = client.post(_url(case, other), {"state": "in_progress"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == "to_do"

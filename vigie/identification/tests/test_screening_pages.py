"""Screening a child's situation from the case file, and `vigie screen` on the command line."""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.identification.models import Screening

pytestmark = pytest.mark.django_db


def _form_url(case):
    return reverse("identification:screening_create", kwargs={"case_uuid": case.uuid})


def test_a_caseworker_screens_a_case_and_reads_the_explained_result(users, case_a, client_for):
    client = client_for(users[("caseworker", "a")])
    page = client.get(_form_url(case_a))
    assert page.status_code == 200
    assert "Exploitation" in page.content.decode() or "exploitation" in page.content.decode()

    response = client.post(
        _form_url(case_a), {"age": "15", "situations": ["prostitution"], "complete": "on"}
    )

    screening = Screening.objects.get(case=case_a)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "identification:screening_detail",
        kwargs={"case_uuid": case_a.uuid, "screening_uuid": screening.uuid},
    )
    assert screening.assessment == "presumed_victim"
    assert screening.minor == "yes"
    assert screening.catalogue_version
    assert screening.created_by == users[("caseworker", "a")]
    assert AuditEvent.objects.filter(
        action="case.screening", subjects__object_uuid=case_a.uuid
    ).exists()

    detail = client.get(response["Location"]).content.decode()
    assert "Victime présumée" in detail
    assert "juge des enfants" in detail  # refer_juvenile_judge, in words
    case_page = client.get(case_a.get_absolute_url()).content.decode()
    assert screening.get_assessment_display() in case_page


def test_an_absurd_age_is_refused_with_the_field_named(users, case_a, client_for):
    client = client_for(users[("caseworker", "a")])
    response = client.post(_form_url(case_a), {"age": "140"})
    assert response.status_code == 422
    assert not Screening.objects.exists()


def test_other_organisations_cannot_screen_nor_read_a_screening(users, case_a, client_for):
    own = client_for(users[("caseworker", "a")])
    own.post(_form_url(case_a), {"situations": ["begging"]})
    screening = Screening.objects.get()
    outsider = client_for(users[("coordinator", "b")])
    detail = reverse(
        "identification:screening_detail",
        kwargs={"case_uuid": case_a.uuid, "screening_uuid": screening.uuid},
    )
    assert outsider.get(_form_url(case_a)).status_code == 404
    assert outsider.post(_form_url(case_a), {"situations": ["begging"]}).status_code == 404
    assert outsider.get(detail).status_code == 404
    assert Screening.objects.count() == 1


def _vigie_screen(payload: str, *args: str) -> subprocess.CompletedProcess[str]:
    vigie = os.path.join(os.path.dirname(sys.executable), "vigie")
    return subprocess.run(
        [vigie, "screen", "-", *args],
        input=payload,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "vigie.config.settings.dev"},
    )


def test_the_command_line_prints_the_result_json():
    result = _vigie_screen(json.dumps({"age": 15, "situations": ["prostitution"]}), "--lang", "en")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["assessment"] == "presumed_victim"
    assert output["minor"] == "yes"
    assert "sexual_exploitation" in output["forms"]
    assert "refer_juvenile_judge" in output["actions"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ('{"situations": ["flying"]}', "situations"),
        ('{"indicators": ["no.such.indicator"]}', "indicators"),
        ('{"age": -3}', "age"),
        ('{"age": "fifteen"}', "age"),
        ('{"age_doubt": "yes"}', "age_doubt"),
        ("{not json", "input"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(payload, field):
    result = _vigie_screen(payload)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert field in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_case_files_and_the_engine_share_one_vocabulary_of_forms():
    from vigie.cases.models import ExploitationForm
    from vigie.identification.engine import FORMS

    assert list(FORMS) == list(ExploitationForm.values)

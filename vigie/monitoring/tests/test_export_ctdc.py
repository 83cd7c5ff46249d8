"""The CTDC-compatible aggregate export, and the release reader it is built on.

The release is made from made-up files (factories_releases): the true counts are known, so every
count the export writes can be checked against them, and no suppressed count may show.
"""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.models import ExploitationForm, Gender
from vigie.monitoring.dimensions import UNKNOWN, CtdcAgeBand, build_dimensions
from vigie.monitoring.exports.ctdc import (
    AGE_BANDS,
    CTDC_TABLES,
    FORM_GROUPS,
    GENDERS,
    HEADER,
    TYPE_COLUMNS,
    ctdc_csv,
    ctdc_lines,
)
from vigie.monitoring.exports.release_tables import (
    Count,
    CountStyle,
    MissingTables,
    ReleaseNotPublishedError,
    ReleaseTables,
    ReleaseTablesError,
)
from vigie.monitoring.models import ReleaseStatus
from vigie.monitoring.tables_spec import tables_normalise
from vigie.tests_support.factories_releases import (
    counts_from_records,
    release_build,
    release_published,
)

REFERENCE = date(2026, 3, 2)

# (form, gender, CTDC age band, year, nationality, number of files): 281 files.
FILES = (
    ("sexual_exploitation", "girl", "9-17", "2025", "NG", 100),
    ("sexual_exploitation", "girl", "18-20", "2024", "FR", 20),
    ("online_sexual_exploitation", "girl", "9-17", "2025", "FR", 30),
    ("forced_criminality", "boy", "9-17", "2025", "DZ", 45),
    ("forced_criminality", "boy", "9-17", "2024", "MA", 15),
    ("forced_begging", "girl", "0-8", "2024", "RO", 25),
    ("forced_labour", "boy", "9-17", "2023", UNKNOWN, 15),
    ("domestic_servitude", "girl", "9-17", "earlier", "CI", 12),
    ("forced_marriage", "girl", "9-17", "2025", "RO", 4),
    ("sale_of_child", "boy", "0-8", "2024", "RO", 2),
    (UNKNOWN, "other", UNKNOWN, "2025", UNKNOWN, 13),
)
TOTAL = 281


def records():
    result = []
    for form, gender, age, year, nationality, number in FILES:
        minor = {"0-8": "minor", "9-17": "minor", "18-20": "adult"}.get(age, UNKNOWN)
        record = {
            "form": form,
            "gender": gender,
            "age_ctdc": age,
            "year": year,
            "nationality": nationality,
            "minor": minor,
        }
        result += [record] * number
    return result


def ctdc_release(**kwargs):
    tables = counts_from_records(records(), [table for table in CTDC_TABLES if table])
    return release_build(tables=tables, reference_date=REFERENCE, **kwargs)


def true_count(**values) -> int:
    return sum(1 for record in records() if all(record[k] == v for k, v in values.items()))


def bounds(text: str, threshold: int = 11) -> tuple[int, int]:
    """The interval a written count stands for."""
    if text == f"<{threshold}":
        return 0, threshold - 1
    if match := re.fullmatch(r"(\d+) to (\d+)", text):
        return int(match[1]), int(match[2])
    if match := re.fullmatch(r"at most (\d+)", text):
        return 0, int(match[1])
    assert text.isdigit(), text
    return int(text), int(text)


def lines_of(table_label: str, lines):
    return [line for line in lines if line["table"] == table_label]


# --- The table sets -------------------------------------------------------------------------


def test_the_ctdc_tables_are_a_valid_release_specification():
    assert all(len(table) <= 2 for table in CTDC_TABLES)
    assert tables_normalise(CTDC_TABLES) == CTDC_TABLES  # already canonical: a preset as is


def test_every_value_of_vigie_has_a_ctdc_coding():
    assert set(GENDERS) == set(Gender.values)
    assert set(AGE_BANDS) == {*CtdcAgeBand.values, UNKNOWN}
    grouped = [form for _coding, forms in FORM_GROUPS for form in forms]
    assert sorted(grouped) == sorted([*ExploitationForm.values, UNKNOWN])  # each exactly once
    for coding, _forms in FORM_GROUPS:
        assert set(coding) <= set(TYPE_COLUMNS) and set(coding.values()) <= {"1"}


# --- The file -------------------------------------------------------------------------------


def test_the_file_uses_ctdc_variables_and_codes():
    text = ctdc_csv(ctdc_release())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER
    total = lines_of("total", rows)
    assert [line["count"] for line in total] == [str(TOTAL)]
    assert {line["CountryOfExploitation"] for line in rows} == {"FRA"}

    by_gender = {line["gender"]: line["count"] for line in lines_of("gender", rows)}
    assert by_gender == {
        "Woman": str(true_count(gender="girl")),
        "Man": str(true_count(gender="boy")),
        "Trans/Transgender/NonConforming": str(true_count(gender="other")),
        "NULL": "<11",
    }
    ages = {line["ageBroad"]: line["count"] for line in lines_of("ageBroad", rows)}
    assert ages["09--17"] == str(true_count(age_ctdc="9-17"))
    assert ages["0--8"] == str(true_count(age_ctdc="0-8"))
    assert ages["NULL"] == str(true_count(age_ctdc=UNKNOWN))
    assert ages["48+"] == "<11"
    citizenship = {line["citizenship"]: line["count"] for line in lines_of("citizenship", rows)}
    assert citizenship["NGA"] == "100" and citizenship["ROU"] == "31"
    assert citizenship["NULL"] == str(true_count(nationality=UNKNOWN))
    years = {
        line["yearOfRegistration"]: line["count"] for line in lines_of("yearOfRegistration", rows)
    }
    assert years["2025"] == str(true_count(year="2025"))
    assert years["before 2017"] == "12"  # the dimension's "earlier": before its first year


def test_forms_are_coded_and_added_up_from_the_published_cells_only():
    lines = ctdc_lines(ctdc_release())
    forms = lines_of("typeOfExploitation", lines)
    coded = {tuple(line[name] for name in TYPE_COLUMNS): line["count"] for line in forms}
    # (isForcedLabour, isSexualExploit, isOtherExploit, domestic work, prostitution)
    assert coded[("NULL", "1", "NULL", "NULL", "1")] == "120"
    assert coded[("NULL", "1", "NULL", "NULL", "NULL")] == "30"
    assert coded[("1", "NULL", "NULL", "NULL", "NULL")] == "40"  # forced labour + begging
    assert coded[("1", "NULL", "NULL", "1", "NULL")] == "12"
    # Forced criminality (60) with forced marriage (4) and a sale (2), both suppressed: every
    # suppressed cell of the table is in this group, so the total gives it exactly, as anyone
    # could work out from the release itself.
    assert coded[("NULL", "NULL", "1", "NULL", "NULL")] == "66"
    assert coded[("NULL",) * 5] == "13"


def test_a_group_with_suppressed_cells_gets_bounds_never_a_made_up_number():
    lines = ctdc_lines(ctdc_release())
    by_gender = lines_of("typeOfExploitation x gender", lines)

    def count(gender: str, coding: tuple[str, ...]) -> str:
        (line,) = [
            line
            for line in by_gender
            if line["gender"] == gender and tuple(line[n] for n in TYPE_COLUMNS) == coding
        ]
        return line["count"]

    forced_labour = ("1", "NULL", "NULL", "NULL", "NULL")
    other = ("NULL", "NULL", "1", "NULL", "NULL")
    # Girls: 25 begging (published) and forced labour (none, suppressed).
    assert count("Woman", forced_labour) == "25 to 29"
    assert count("Woman", other) == "<11"
    # Boys: forced criminality 60 (published), forced marriage, sale, organ removal suppressed.
    assert count("Man", other) == "60 to 62"
    assert count("Man", forced_labour) == "15 to 17"


def test_every_grouped_count_holds_the_true_number_and_none_is_small():
    forms_of = {
        tuple(coding.get(name, "NULL") for name in TYPE_COLUMNS): forms
        for coding, forms in FORM_GROUPS
    }
    vigie = {
        "gender": ("gender", {ctdc: code for code, ctdc in GENDERS.items()}),
        "ageBroad": ("age_ctdc", {ctdc: code for code, ctdc in AGE_BANDS.items()}),
        "yearOfRegistration": ("year", {"before 2017": "earlier"}),
    }
    grouped = 0
    for line in ctdc_lines(ctdc_release()):
        text = line["count"]
        assert not (text.isdigit() and int(text) < 11), line
        if "typeOfExploitation" not in line["table"]:
            continue
        grouped += 1
        forms = forms_of[tuple(line[name] for name in TYPE_COLUMNS)]
        wanted = {
            dimension: codes.get(line[column], line[column])
            for column, (dimension, codes) in vigie.items()
            if line[column]
        }
        truth = sum(
            1
            for record in records()
            if record["form"] in forms and all(record[k] == v for k, v in wanted.items())
        )
        low, high = bounds(text)
        assert low <= truth <= high, (line, truth)
    assert grouped == 6 * (1 + 4 + 10 + 11)  # groups x (total, genders, age bands, years)


def test_a_suppressed_cell_is_written_as_ctdc_marks_it():
    release = ctdc_release()
    tables = ReleaseTables.from_release(release)
    suppressed = [values for values, count in tables.cells(["nationality"]) if count.exact is None]
    assert {"nationality": "DZ"} not in suppressed and {"nationality": "SN"} in suppressed
    lines = lines_of("citizenship", ctdc_lines(release))
    assert {line["citizenship"]: line["count"] for line in lines}["SEN"] == "<11"
    # A sale of a child from Romania, two files: the number appears nowhere.
    assert not any(line["count"] == "2" for line in ctdc_lines(release))


def test_the_release_threshold_is_the_one_written():
    release = ctdc_release(threshold=20)
    lines = ctdc_lines(release)
    by_gender = {line["gender"]: line["count"] for line in lines_of("gender", lines)}
    assert by_gender["Trans/Transgender/NonConforming"] == "<20"  # 13 files
    assert not any(line["count"] in ("<11", "13") for line in lines)


def test_totals_are_consistent_in_every_table_and_slice():
    lines = ctdc_lines(ctdc_release())
    for label in {line["table"] for line in lines}:
        table_lines = lines_of(label, lines)
        low = sum(bounds(line["count"])[0] for line in table_lines)
        high = sum(bounds(line["count"])[1] for line in table_lines)
        assert low <= TOTAL <= high, label
    for line in lines_of("typeOfExploitation x gender", lines):
        low, high = bounds(line["count"])
        assert low <= high


def test_a_release_without_a_needed_table_is_refused_by_name():
    release = ctdc_release(without=[("form", "year")])
    with pytest.raises(MissingTables) as refused:
        ctdc_csv(release)
    assert refused.value.missing == (("form", "year"),)
    assert "form x year" in str(refused.value)


def test_only_a_published_release_is_exported():
    with pytest.raises(ReleaseNotPublishedError):
        ctdc_csv(ctdc_release(status=ReleaseStatus.RUNNING))


# --- The reader -------------------------------------------------------------------------------


def _reader(tables, threshold=11):
    return ReleaseTables(
        release_build(tables=tables, reference_date=REFERENCE, threshold=threshold).tables,
        threshold=threshold,
    )


def test_the_reader_finds_a_table_whatever_the_order_of_its_attributes():
    tables = _reader(
        {("gender", "form"): {("girl", "forced_begging"): 40, ("boy", "forced_labour"): 12}}
    )
    assert tables.cell({"gender": "girl", "form": "forced_begging"}) == Count(40, 40)
    assert tables.cell({"form": "forced_begging", "gender": "girl"}) == Count(40, 40)
    assert tables.cell({"gender": "boy"}) == Count(12, 12)
    assert tables.cell({}) == Count(52, 52)
    # Suppressed: [0, threshold - 1], never a number.
    assert tables.cell({"gender": "other", "form": "forced_begging"}) == Count(0, 10)


def test_a_group_is_exact_when_its_slice_total_settles_it():
    tables = _reader({("form",): {"forced_begging": 40, "forced_marriage": 3, "sale_of_child": 4}})
    # Every suppressed cell of the table is in the group: the total settles it.
    every_other = {form for form in tables.values("form") if form != "forced_begging"}
    exact = tables.group("form", every_other, {})
    assert exact == Count(7, 7)  # below the threshold: written as the mark, never as 7
    assert CountStyle("<{threshold}", "{low} to {high}", "at most {high}").text(exact, 11) == "<11"
    # Other suppressed cells outside the group: bounds only.
    assert tables.group("form", {"forced_marriage", "sale_of_child"}, {}) == Count(0, 7)


def test_the_reader_refuses_a_stored_number_below_the_threshold():
    with pytest.raises(ReleaseTablesError):
        ReleaseTables(
            [{"attributes": [], "cells": [{"key": [], "count": 3, "low": 1, "high": 5, "se": 1}]}],
            threshold=11,
        )


def test_the_count_style_writes_bounds_in_words():
    style = CountStyle("<{threshold}", "{low} to {high}", "at most {high}")
    assert style.text(Count(40, 40), 11) == "40"
    assert style.text(Count(0, 10), 11) == "<11"
    assert style.text(Count(12, 25), 11) == "12 to 25"
    assert style.text(Count(3, 25), 11) == "at most 25"


def test_missing_tables_are_all_named():
    tables = _reader({("gender",): {"girl": 20}})
    with pytest.raises(MissingTables) as refused:
        tables.require([(), ("gender",), ("form",), ("form", "gender")])
    assert refused.value.missing == (("form",), ("form", "gender"))


# --- The download -----------------------------------------------------------------------------


@pytest.fixture
def published(db):
    tables = counts_from_records(records(), [table for table in CTDC_TABLES if table])
    return release_published(tables=tables, reference_date=REFERENCE, name="Bilan 2025")


def test_an_analyst_downloads_the_file_and_the_download_is_audited(published, users, client_for):
    analyst = users[("analyst", "a")]
    response = client_for(analyst).get(reverse("monitoring:release_ctdc", args=[published.uuid]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('-ctdc.csv"')
    text = response.content.decode("ascii")
    assert text.startswith("table,yearOfRegistration,")
    assert f"total,,,,,FRA,,,,,,{TOTAL}" in text
    event = AuditEvent.objects.get(action=AuditAction.RELEASE_DOWNLOAD)
    assert event.object_uuids == [str(published.uuid)]
    assert event.actor_uuid == analyst.uuid and event.reason_code == "ctdc"


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "org_admin"])
def test_without_the_aggregates_permission_the_file_does_not_exist(
    published, users, client_for, role
):
    client = client_for(users[(role, "a")])
    response = client.get(reverse("monitoring:release_ctdc", args=[published.uuid]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.RELEASE_DOWNLOAD).exists()


def test_an_unpublished_or_unknown_release_has_no_file(db, users, client_for):
    running = ctdc_release(status=ReleaseStatus.RUNNING)
    running.save()
    client = client_for(users[("analyst", "a")])
    for release_uuid in (running.uuid, "8d5d3c52-1f55-4c8b-9a39-6b1b3c0e2a11"):
        response = client.get(reverse("monitoring:release_ctdc", args=[release_uuid]))
        assert response.status_code == 404


def test_a_release_lacking_tables_gets_a_page_naming_them(db, users, client_for):
    release = ctdc_release(without=[("form", "year"), ("nationality",)])
    release.save()
    client = client_for(users[("analyst", "a")])

    response = client.get(reverse("monitoring:release_ctdc", args=[release.uuid]))

    assert response.status_code == 409
    page = response.content.decode()
    dims = build_dimensions(REFERENCE)
    assert str(dims["nationality"].label) in page
    assert f"{dims['form'].label} \u00d7 {dims['year'].label}" in page  # form, times, year
    assert not AuditEvent.objects.filter(action=AuditAction.RELEASE_DOWNLOAD).exists()


@pytest.mark.browser
def test_the_missing_tables_page_in_a_browser_passes_axe(
    page, visit, browser_sign_in, org_a, allow_console_error
):
    """The 409 page opens in a real browser and axe-core finds nothing (``visit`` checks)."""
    from playwright.sync_api import expect

    from vigie.tests_support.factories import UserFactory

    allow_console_error("status of 409")  # the page answers 409 Conflict
    release = release_published(tables={("gender",): {"girl": 40}}, reference_date=REFERENCE)
    browser_sign_in(UserFactory(role="analyst", organisation=org_a))
    visit(reverse("monitoring:release_ctdc", args=[release.uuid]), status=409)
    expect(page.locator("#missing-tables li")).to_have_count(len(CTDC_TABLES) - 2)

"""The alternative report: services, the document model, and its PDF / DOCX / Markdown exports.

Figures must match the release cell they name, a suppressed cell must read "< 11", and every
export must say which release and privacy budget each figure comes from (issue 8).
"""

import io
import re

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from docx import Document

from vigie.advocacy.models import Report, ReportFigure
from vigie.advocacy.report_document import FigureCall, report_document
from vigie.advocacy.report_docx import report_docx
from vigie.advocacy.report_markdown import report_markdown
from vigie.advocacy.report_pdf import report_pdf
from vigie.advocacy.services.reports import (
    ReportFields,
    SectionFields,
    figure_add,
    report_create,
    report_update,
    section_add,
    section_update,
)
from vigie.audit.services import Actor
from vigie.monitoring.models import ReleaseStatus
from vigie.tests_support.factories_advocacy import RecommendationFactory
from vigie.tests_support.factories_releases import release_published

pytestmark = pytest.mark.django_db

FORM_GENDER = {
    ("forced_begging", "girl"): 40,
    ("forced_begging", "boy"): 5,  # below the threshold: never shown
    ("forced_labour", "boy"): 30,
}
SUMMARY = "Le rapport porte sur la mendicité forcée."


def published_release(name: str = "Bilan 2025"):
    return release_published(
        name=name, epsilon=0.5, delta=1e-7, tables={("form", "gender"): FORM_GENDER}
    )


def build_report(user, *, language: str = "en") -> Report:
    """A report with one section embedding a published and a suppressed figure."""
    actor = Actor(user=user)
    release = published_release()
    report = report_create(
        actor=actor,
        fields=ReportFields(
            title="Rapport alternatif 2025",
            language=language,
            release=release,
            executive_summary=SUMMARY,
            member_organisations="Association A\nAssociation B",
            annexes="Annexe méthodologique.",
        ),
    )
    section = section_add(actor=actor, report=report, fields=SectionFields(title="Mendicité"))
    figure_add(
        actor=actor,
        section=section,
        label="Filles contraintes à mendier",
        table=["form", "gender"],
        cell=["forced_begging", "girl"],
    )
    figure_add(
        actor=actor,
        section=section,
        label="Garçons contraints à mendier",
        table=["gender", "form"],  # any order of the dimensions names the same table
        cell=["boy", "forced_begging"],
    )
    recommendation = RecommendationFactory(
        reference="CRC/C/FRA/CO/6-7 para. 48", text_en="", text_fr="Protéger les enfants."
    )
    section_update(
        actor=actor,
        section=section,
        fields=SectionFields(
            title="Mendicité",
            observations="Nous avons suivi [figure:1] filles.\n\nEt [figure:2] garçons.",
            violations="Article 34 de la Convention.",
            questions="Que fait l’État ?",
            recommendations=(recommendation,),
        ),
    )
    return report


@pytest.fixture
def analyst(users):
    return users[("analyst", "a")]


# --- Services ---------------------------------------------------------------------------------


def test_only_a_published_release_may_be_chosen(analyst):
    queued = published_release()
    queued.status = ReleaseStatus.QUEUED
    queued.save()

    with pytest.raises(ValidationError) as refused:
        report_create(
            actor=Actor(user=analyst),
            fields=ReportFields(title="Rapport", language="fr", release=queued),
        )

    assert "release" in refused.value.error_dict
    assert not Report.objects.exists()


def test_a_cell_the_release_does_not_publish_is_refused_on_the_cell_field(analyst):
    actor = Actor(user=analyst)
    report = report_create(
        actor=actor,
        fields=ReportFields(title="Rapport", language="fr", release=published_release()),
    )
    section = section_add(actor=actor, report=report, fields=SectionFields(title="Section"))

    with pytest.raises(ValidationError) as refused:
        figure_add(actor=actor, section=section, label="Âge", table=["age_band"], cell=["0-5"])

    assert "cell" in refused.value.error_dict
    assert not ReportFigure.objects.exists()


def test_observations_may_embed_only_the_sections_figures(analyst):
    actor = Actor(user=analyst)
    report = report_create(
        actor=actor,
        fields=ReportFields(title="Rapport", language="fr", release=published_release()),
    )

    with pytest.raises(ValidationError) as refused:
        section_add(
            actor=actor,
            report=report,
            fields=SectionFields(title="Section", observations="Voir [figure:3]."),
        )

    assert "[figure:3]" in str(refused.value.error_dict["observations"])
    assert not report.sections.exists()


def test_a_release_lacking_an_embedded_figure_cannot_replace_the_reports(analyst):
    report = build_report(analyst)
    other = release_published(name="Autre", tables={("age_band",): {"15-17": 30}})

    with pytest.raises(ValidationError) as refused:
        report_update(
            actor=Actor(user=analyst),
            report=report,
            fields=ReportFields(title=report.title, language="en", release=other),
        )

    assert "release" in refused.value.error_dict
    report.refresh_from_db()
    assert report.release.name == "Bilan 2025"


def test_figures_are_numbered_per_section(analyst):
    report = build_report(analyst)
    actor = Actor(user=analyst)
    second = section_add(actor=actor, report=report, fields=SectionFields(title="Travail"))

    figure = figure_add(
        actor=actor,
        section=second,
        label="Garçons au travail forcé",
        table=["form", "gender"],
        cell=["forced_labour", "boy"],
    )

    assert figure.number == 1
    assert list(report.sections.values_list("position", flat=True)) == [1, 2]


def test_a_coordinator_reads_reports_but_may_not_write_them(users):
    with pytest.raises(PermissionDenied):
        report_create(
            actor=Actor(user=users[("coordinator", "a")]),
            fields=ReportFields(title="Rapport", language="fr", release=published_release()),
        )


# --- The document model -----------------------------------------------------------------------


def test_the_document_shows_the_release_cell_and_says_where_it_comes_from(analyst):
    document = report_document(build_report(analyst))

    (section,) = document.sections
    first, second = section.observations
    calls = [
        run for paragraph in (first, second) for run in paragraph if isinstance(run, FigureCall)
    ]
    assert [call.text for call in calls] == ["40", "< 11"]  # the cell, and a suppressed one
    assert document.plain(first) == "Nous avons suivi 40 filles."
    assert [note.number for note in document.footnotes] == [1, 2]
    note = document.footnotes[0].text
    assert "Filles contraintes à mendier" in note
    assert "Bilan 2025" in note
    assert "ε = 0.5" in note
    assert "δ = 1e-07" in note
    assert "table form x gender" in note
    # The recommendation's English text is empty: its French text stands in.
    assert section.recommendations[0].text == "Protéger les enfants."
    assert document.members == ("Association A", "Association B")
    assert document.headings.violations == "Violations of the rights of the child"


def test_a_french_report_has_its_headings_in_french_whatever_the_request_language(analyst):
    report = build_report(analyst, language="fr")
    with translation.override("fr"):
        expected = translation.gettext("Observations")

    with translation.override("en"):
        document = report_document(report)

    assert document.headings.observations == expected
    assert document.language == "fr"


# --- The exports ------------------------------------------------------------------------------


def test_the_pdf_has_non_blank_pages_headings_figures_and_page_numbered_contents(analyst):
    report = build_report(analyst)
    document = report_document(report)

    pdf = pdfium.PdfDocument(report_pdf(document))

    assert len(pdf) >= 3  # title page, contents, then the parts
    texts = []
    for index in range(len(pdf)):
        page = pdf[index]
        image = page.render(scale=1).to_pil().convert("L")
        low, _high = image.getextrema()
        assert low < 128, f"page {index + 1} is blank"
        texts.append(" ".join(page.get_textpage().get_text_range().split()))
        page.close()
    pdf.close()
    text = " ".join(texts)
    for heading in (
        "Contents",
        "Executive summary",
        "1. Mendicité",
        "Observations",
        "Violations of the rights of the child",
        "Recommendations",
        "Questions to the Committee",
        "Annexes",
    ):
        assert heading in text, heading
    assert "Nous avons suivi 40" in text
    assert "< 11" in text
    assert "Sources of the figures" in text
    assert "Filles contraintes à mendier (" in text and "Garçons contraints à mendier (" in text
    assert "Source: Bilan 2025" in text and "ε = 0.5" in text and "δ = 1e-07" in text
    # The table of contents gives each section's page number (CSS target-counter).
    section_page = next(i for i, t in enumerate(texts) if "Nous avons suivi" in t) + 1
    assert re.search(rf"1\. Mendicité[ .\u2026]*{section_page}\b", texts[1]), texts[1]


def test_the_docx_has_headings_the_figures_and_their_sources(analyst):
    document = report_document(build_report(analyst))

    docx = Document(io.BytesIO(report_docx(document)))

    headings = {
        (paragraph.style.name, paragraph.text)
        for paragraph in docx.paragraphs
        if paragraph.style.name.startswith("Heading")
    }
    assert ("Heading 1", "1. Mendicité") in headings
    assert ("Heading 2", "Observations") in headings
    assert ("Heading 2", "Violations of the rights of the child") in headings
    assert ("Heading 2", "Recommendations") in headings
    assert ("Heading 2", "Questions to the Committee") in headings
    body = [paragraph.text for paragraph in docx.paragraphs]
    assert "Nous avons suivi 401 filles." in body  # 40 then the superscript note call 1
    assert "Et < 112 garçons." in body
    assert any(line.startswith("1. Filles contraintes") and "ε = 0.5" in line for line in body)


def test_the_markdown_has_headings_the_figures_and_footnotes(analyst):
    markdown = report_markdown(report_document(build_report(analyst)))

    assert markdown.startswith("# Rapport alternatif 2025\n")
    assert "## 1. Mendicité" in markdown
    assert "### Observations" in markdown
    assert "### Questions to the Committee" in markdown
    assert "Nous avons suivi **40**[^1] filles." in markdown
    assert "Et **< 11**[^2] garçons." in markdown
    assert re.search(r"^\[\^1\]: Filles contraintes.*Bilan 2025.*ε = 0\.5", markdown, re.M)
    assert "- **CRC/C/FRA/CO/6-7 para. 48**: Protéger les enfants." in markdown


# --- Pages ------------------------------------------------------------------------------------


def test_an_analyst_builds_a_report_through_the_pages(analyst, client_for):
    client = client_for(analyst)
    release = published_release()

    response = client.post(
        reverse("advocacy:report_create"),
        {"title": "Rapport 2025", "language": "en", "release": release.pk},
    )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("advocacy:report", args=[report.uuid])

    response = client.post(
        reverse("advocacy:section_add", args=[report.uuid]),
        {"title": "Mendicité", "observations": "Sans chiffre."},
    )
    section = report.sections.get()
    assert response["Location"] == reverse("advocacy:section_edit", args=[section.uuid])

    page = client.get(reverse("advocacy:figure_add", args=[section.uuid]))
    assert "form,gender:forced_begging,girl" in page.content.decode()
    response = client.post(
        reverse("advocacy:figure_add", args=[section.uuid]),
        {"label": "Filles", "cell": "form,gender:forced_begging,girl"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("advocacy:section_edit", args=[section.uuid]),
        {"title": "Mendicité", "observations": "Nous avons suivi [figure:1] filles."},
    )
    assert response.status_code == 302

    markdown = client.get(reverse("advocacy:report_markdown", args=[report.uuid]))
    assert markdown["Content-Type"].startswith("text/markdown")
    assert "**40**[^1]" in markdown.content.decode()
    pdf = client.get(reverse("advocacy:report_pdf", args=[report.uuid]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_bad_figure_or_an_unknown_mark_answers_422_naming_the_field(analyst, client_for):
    report = build_report(analyst)
    section = report.sections.get()
    client = client_for(analyst)

    response = client.post(
        reverse("advocacy:section_edit", args=[section.uuid]),
        {"title": "Mendicité", "observations": "Voir [figure:9]."},
    )

    assert response.status_code == 422
    assert "[figure:9]" in response.content.decode()
    response = client.post(
        reverse("advocacy:figure_add", args=[section.uuid]),
        {"label": "Âge", "cell": "age_band:0-5"},
    )
    assert response.status_code == 422
    assert section.figures.count() == 2


def test_a_coordinator_reads_and_downloads_but_cannot_post(users, client_for):
    report = build_report(users[("analyst", "a")])
    client = client_for(users[("coordinator", "b")])

    assert client.get(reverse("advocacy:report", args=[report.uuid])).status_code == 200
    docx = client.get(reverse("advocacy:report_docx", args=[report.uuid]))
    assert docx.status_code == 200
    assert docx.content.startswith(b"PK")
    response = client.post(reverse("advocacy:report", args=[report.uuid]), {"title": "Changé"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.title == "Rapport alternatif 2025"


def test_references_are_ordered_with_their_numbers_read_as_numbers():
    from vigie.advocacy.report_document import reference_order

    references = ["COL2022-I-R10", "COL2022-I-R2", "COL2022-I-R1", "COL2022-II-R1"]
    assert sorted(references, key=reference_order) == [
        "COL2022-I-R1",
        "COL2022-I-R2",
        "COL2022-I-R10",
        "COL2022-II-R1",
    ]

"""An analyst builds an alternative report in the browser (create it, add a section, add a
published figure, embed it) and downloads its PDF, DOCX and Markdown exports, whose figures must
match the release; axe-core checks every page (vigie/tests_support/browser.py)."""

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from playwright.sync_api import Page, expect

from vigie.advocacy.models import Report
from vigie.tests_support.browser import path_of, submit_main_form
from vigie.tests_support.factories import UserFactory
from vigie.tests_support.factories_releases import release_published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNTS = {
    ("forced_begging", "girl"): 40,
    ("forced_begging", "boy"): 5,
    ("forced_labour", "boy"): 30,
}


def _download(page: Page, export: str) -> Path:
    with page.expect_download() as download:
        page.click(f"main a[data-export={export}]")
    return Path(download.value.path())


def _pdf_pages(path: Path) -> list[str]:
    """Each page's text; fails on a blank page (no dark pixel)."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    texts = []
    for index in range(len(pdf)):
        page = pdf[index]
        low, _high = page.render(scale=1).to_pil().convert("L").getextrema()
        assert low < 128, f"PDF page {index + 1} is blank"
        texts.append(" ".join(page.get_textpage().get_text_range().split()))
        page.close()
    pdf.close()
    return texts


def test_an_analyst_builds_a_report_and_downloads_its_exports(
    page: Page, visit, axe_check, browser_sign_in
):
    release = release_published(
        name="Bilan annuel", epsilon=0.5, delta=1e-7, tables={("form", "gender"): COUNTS}
    )
    analyst = UserFactory(role="analyst")
    browser_sign_in(analyst)

    visit(reverse("advocacy:reports"))
    with page.expect_navigation():
        page.click(f"main a[href='{reverse('advocacy:report_create')}']")
    axe_check(page)
    page.fill("input[name=title]", "Rapport alternatif au Comité")
    page.select_option("select[name=language]", "fr")
    page.select_option("select[name=release]", str(release.pk))
    submit_main_form(page)
    axe_check(page)
    report = Report.objects.get()
    assert path_of(page) == reverse("advocacy:report", args=[report.uuid])

    with page.expect_navigation():
        page.click(f"main a[href='{reverse('advocacy:section_add', args=[report.uuid])}']")
    axe_check(page)
    page.fill("input[name=title]", "Mendicité forcée")
    page.fill("textarea[name=observations]", "Les associations suivent des enfants.")
    page.fill("textarea[name=violations]", "Article 32 de la Convention.")
    page.fill("textarea[name=questions]", "Quelles mesures l’État a-t-il prises ?")
    submit_main_form(page)
    axe_check(page)
    section = report.sections.get()
    assert path_of(page) == reverse("advocacy:section_edit", args=[section.uuid])

    with page.expect_navigation():
        page.click(f"main a[href='{reverse('advocacy:figure_add', args=[section.uuid])}']")
    axe_check(page)
    page.fill("input[name=label]", "Filles contraintes à mendier")
    page.select_option("select[name=cell]", "form,gender:forced_begging,girl")
    submit_main_form(page)
    axe_check(page)
    assert path_of(page) == reverse("advocacy:section_edit", args=[section.uuid])
    expect(page.locator("tr[data-figure='1'] code")).to_have_text("[figure:1]")

    page.fill(
        "textarea[name=observations]",
        "Les associations suivent des enfants.\n\nNous avons suivi [figure:1] filles.",
    )
    submit_main_form(page)
    axe_check(page)
    assert path_of(page) == reverse("advocacy:report", args=[report.uuid])

    with translation.override("fr"):
        headings = [
            translation.gettext("Observations"),
            translation.gettext("Violations of the rights of the child"),
            translation.gettext("Questions to the Committee"),
        ]

    pdf_text = " ".join(_pdf_pages(_download(page, "pdf")))
    assert "1. Mendicité forcée" in pdf_text
    for heading in headings:
        assert heading in pdf_text, heading
    assert "Nous avons suivi 40" in pdf_text  # the release's cell
    # French report: "Source :" with a non-breaking space, as French typography wants.
    assert re.search(r"Source\s*:\s*Bilan annuel", pdf_text) and "ε = 0.5" in pdf_text

    docx = Document(str(_download(page, "docx")))
    styled = {(p.style.name, p.text) for p in docx.paragraphs}
    assert ("Heading 1", "1. Mendicité forcée") in styled
    for heading in headings:
        assert ("Heading 2", heading) in styled
    assert "Nous avons suivi 401 filles." in [p.text for p in docx.paragraphs]  # 40, call 1

    markdown = _download(page, "markdown").read_text(encoding="utf-8")
    assert "## 1. Mendicité forcée" in markdown
    for heading in headings:
        assert f"### {heading}" in markdown
    assert "Nous avons suivi **40**[^1] filles." in markdown
    assert re.search(
        r"^\[\^1\]: Filles contraintes à mendier.*Bilan annuel.*ε = 0\.5", markdown, re.M
    )

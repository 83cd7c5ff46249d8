"""A report as a document: what every export (PDF, DOCX, Markdown) renders, built once.

``report_document(report)`` reads the report, its sections, their figures (from the report's
release, published only: vigie/advocacy/figures.py) and linked recommendations, and returns plain
frozen data in the report's language. Each ``[figure:N]`` of the observations becomes the
figure's published text ("< 11" when below the threshold, never a number) followed by a footnote
call; the footnote says which release, privacy budget (ε, δ) and table the figure comes from, so
every number in an export can be traced back (issue 8). Footnotes are numbered through the whole
document, one per call, in reading order: the PDF's CSS footnote counter counts the same way.
"""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from .figures import Figure, figure_read
from .models import Recommendation, Report, ReportFigure
from .services.reports import FIGURE_MARK

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class FigureCall:
    """A figure in the text: its published value, then the call of footnote ``note`` (whose
    text, ``source``, is repeated here for renderers that place notes where they are called)."""

    text: str
    note: int
    source: str


Run = Text | FigureCall
Paragraph = tuple[Run, ...]


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str


@dataclass(frozen=True)
class RecommendationEntry:
    reference: str
    text: str


@dataclass(frozen=True)
class Headings:
    """Every heading and fixed phrase of an export, in the report's language."""

    contents: str
    summary: str
    members: str
    observations: str
    violations: str
    recommendations: str
    questions: str
    annexes: str
    sources: str


@dataclass(frozen=True)
class DocumentSection:
    anchor: str
    title: str
    observations: tuple[Paragraph, ...]
    violations: tuple[str, ...]
    recommendations: tuple[RecommendationEntry, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class ReportDocument:
    title: str
    language: str
    headings: Headings
    summary: tuple[str, ...]
    members: tuple[str, ...]
    sections: tuple[DocumentSection, ...]
    annexes: tuple[str, ...]
    footnotes: tuple[Footnote, ...]

    def plain(self, paragraph: Paragraph) -> str:
        """A paragraph's text without footnote calls (for checks and plain renderings)."""
        return "".join(run.text for run in paragraph)


def reference_order(reference: str) -> tuple[tuple[int, str], ...]:
    """Sort key reading the numbers in a reference as numbers: R2 before R10, §9 before §45."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in re.split(r"(\d+)", reference)
        if part
    )


def _by_reference(recommendation: Recommendation) -> tuple[tuple[int, str], ...]:
    return reference_order(recommendation.reference)


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs separated by a blank line; a single line break inside one is a space."""
    return tuple(
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in _PARAGRAPH_BREAK.split(text.strip())
        if block.strip()
    )


def _headings() -> Headings:
    return Headings(
        contents=_("Contents"),
        summary=_("Executive summary"),
        members=_("Member organisations"),
        observations=_("Observations"),
        violations=_("Violations of the rights of the child"),
        recommendations=_("Recommendations"),
        questions=_("Questions to the Committee"),
        annexes=_("Annexes"),
        sources=_("Sources of the figures"),
    )


def _recommendation_text(recommendation: Recommendation, language: str) -> str:
    first, second = (
        (recommendation.text_fr, recommendation.text_en)
        if language == "fr"
        else (recommendation.text_en, recommendation.text_fr)
    )
    return first or second


def _footnote_text(figure: ReportFigure, read: Figure) -> str:
    description = read.description()
    what = f"{figure.label} ({description})" if description else figure.label
    return _("%(what)s. Source: %(source)s.") % {"what": what, "source": read.source()}


class _Notes:
    def __init__(self) -> None:
        self.footnotes: list[Footnote] = []

    def call(self, value: str, source: str) -> FigureCall:
        number = len(self.footnotes) + 1
        self.footnotes.append(Footnote(number, source))
        return FigureCall(value, number, source)


def _observations(
    text: str, figures: dict[int, tuple[ReportFigure, Figure]], notes: _Notes
) -> tuple[Paragraph, ...]:
    result: list[Paragraph] = []
    for block in paragraphs(text):
        runs: list[Run] = []
        position = 0
        for mark in FIGURE_MARK.finditer(block):
            number = int(mark.group(1))
            if number not in figures:
                continue  # refused on save (services/reports.py): left as written
            if mark.start() > position:
                runs.append(Text(block[position : mark.start()]))
            figure, read = figures[number]
            runs.append(notes.call(read.text(), _footnote_text(figure, read)))
            position = mark.end()
        if position < len(block):
            runs.append(Text(block[position:]))
        result.append(tuple(runs))
    return tuple(result)


def report_document(report: Report) -> ReportDocument:
    """The whole report in its language, its figures read from its (published) release.

    Raises FigureUnavailable if a figure is no longer published in the release: the services
    refuse that state, so it means the release itself was withdrawn.
    """
    sections = list(
        report.sections.select_related("theme")
        .prefetch_related("figures", "recommendations")
        .order_by("position", "created_at")
    )
    notes = _Notes()
    with translation.override(report.language):
        built: list[DocumentSection] = []
        for index, section in enumerate(sections, start=1):
            figures = {
                figure.number: (
                    figure,
                    figure_read(list(figure.table), list(figure.cell), report.release),
                )
                for figure in section.figures.all()
            }
            built.append(
                DocumentSection(
                    anchor=f"section-{index}",
                    title=section.title,
                    observations=_observations(section.observations, figures, notes),
                    violations=paragraphs(section.violations),
                    recommendations=tuple(
                        RecommendationEntry(
                            recommendation.reference,
                            _recommendation_text(recommendation, report.language),
                        )
                        for recommendation in sorted(
                            section.recommendations.all(),
                            key=lambda r: reference_order(r.reference),
                        )
                    ),
                    questions=paragraphs(section.questions),
                )
            )
        return ReportDocument(
            title=report.title,
            language=report.language,
            headings=_headings(),
            summary=paragraphs(report.executive_summary),
            members=tuple(
                line.strip() for line in report.member_organisations.splitlines() if line.strip()
            ),
            sections=tuple(built),
            annexes=paragraphs(report.annexes),
            footnotes=tuple(notes.footnotes),
        )

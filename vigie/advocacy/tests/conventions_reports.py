"""What the project-wide tests need to know about the alternative report's pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
Reports are shared advocacy work, not an organisation's files: "own" and "other" answer alike.
Advocacy readers (coordinators, analysts) read and download them; analysts alone write them;
a URL naming a report or section answers 404 to anyone else (and to a coordinator who posts).
READS: none of these URLs names a case.
"""

from typing import Any

from vigie.advocacy.tests.conventions_roles import (
    READERS,
    editors,
    editors_any,
    readers_any,
)
from vigie.core.tests.url_matrix import (
    GET,
    INVALID_FORM,
    OK,
    POST,
    Probe,
    Route,
    World,
    to,
)


def _section(world: World, actor: Any, scope: str) -> Any:
    from vigie.advocacy.models import Report, ReportSection
    from vigie.tests_support.factories_releases import release_published

    release = release_published(
        tables={("gender",): {("girl",): 40, ("boy",): 25, ("other",): 3, ("unknown",): 0}}
    )
    report = Report.objects.create(title="Matrice", language="fr", release=release)
    return ReportSection.objects.create(report=report, position=1, title="Section")


def report_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    return {"report_uuid": _section(world, actor, scope).report.uuid}


def section_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    return {"section_uuid": _section(world, actor, scope).uuid}


_REPORT = {"title": "Matrice", "language": "fr"}

ROUTES: dict[str, Any] = {
    "advocacy:reports": Route(probes=(Probe(GET, READERS),)),
    "advocacy:report_create": Route(
        probes=(
            Probe(GET, editors(OK)),
            Probe(POST, editors(to("advocacy:report")), data=_REPORT),
            Probe(POST, editors(INVALID_FORM), data={**_REPORT, "title": ""}),
        )
    ),
    "advocacy:report": Route(
        kwargs=report_of,
        probes=(
            Probe(GET, readers_any(OK)),
            Probe(POST, editors_any(to("advocacy:report")), data=_REPORT),
            Probe(POST, editors_any(INVALID_FORM), data={**_REPORT, "language": "de"}),
        ),
    ),
    "advocacy:section_add": Route(
        kwargs=report_of,
        probes=(
            Probe(GET, editors_any(OK)),
            Probe(POST, editors_any(to("advocacy:section_edit")), data={"title": "Section"}),
        ),
    ),
    "advocacy:section_edit": Route(
        kwargs=section_of,
        probes=(
            Probe(GET, editors_any(OK)),
            Probe(POST, editors_any(to("advocacy:report")), data={"title": "Section"}),
            Probe(
                POST,
                editors_any(INVALID_FORM),
                data={"title": "Section", "observations": "[figure:1]"},
            ),
        ),
    ),
    "advocacy:figure_add": Route(
        kwargs=section_of,
        probes=(
            Probe(GET, editors_any(OK)),
            Probe(
                POST,
                editors_any(to("advocacy:section_edit")),
                data={"label": "Filles", "cell": "gender:girl"},
            ),
        ),
    ),
    "advocacy:report_pdf": Route(kwargs=report_of, probes=(Probe(GET, readers_any(OK)),)),
    "advocacy:report_docx": Route(kwargs=report_of, probes=(Probe(GET, readers_any(OK)),)),
    "advocacy:report_markdown": Route(kwargs=report_of, probes=(Probe(GET, readers_any(OK)),)),
}

READS: dict[str, Any] = {}

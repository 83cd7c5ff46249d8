"""What the project-wide tests need to know about the import of online advertisements.

ROUTES: the authorisation matrix of the ads' upload page (see vigie/core/tests/url_matrix.py):
caseworkers and coordinators (OUTREACH_EDIT), as for recording an ad with the form; everyone
else 403. The pages of an uploaded job are the import machinery's (conventions_imports), scoped
by the job's selector whatever its target.
READS: no URL of this part names a case.
"""

from typing import Any

from vigie.core.tests.url_matrix import (
    CASE_WORKERS_ONLY,
    GET,
    INVALID_FORM,
    OK,
    POST,
    Answer,
    Probe,
    Route,
    to,
)
from vigie.tests_support.factories_documents import Upload

_ADS_CSV = (
    b"Site;Adresse;Vu le;Texte\r\n"
    b"annonces-exemple.test;https://annonces-exemple.test/annonce/1;02/11/2026;"
    b"Annonce fictive pour la matrice des droits\r\n"
)


def _allowed(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    return {role: (answer if cell == OK else cell) for role, cell in CASE_WORKERS_ONLY.items()}


ROUTES: dict[str, Route] = {
    "imports:ads": Route(
        probes=(
            Probe(GET, CASE_WORKERS_ONLY),
            Probe(
                POST,
                _allowed(to("imports:mapping")),
                data={"file": Upload("annonces.csv", _ADS_CSV, "text/csv")},
            ),
            # No file, then a file that is neither a spreadsheet nor JSON: refused by name.
            Probe(POST, _allowed(INVALID_FORM)),
            Probe(
                POST,
                _allowed(INVALID_FORM),
                data={"file": Upload("annonces.json", b"[1, 2]", "application/json")},
            ),
        )
    ),
}
READS: dict[str, Any] = {}

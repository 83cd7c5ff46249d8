"""Who may do what in the advocacy pages, for the URL matrix (conventions_tracker, _reports).

The tracker and the reports are the associations' common advocacy work, not an organisation's
files: "own" and "other" scope answer alike. Coordinators and analysts read; analysts alone
write. Without the permission: 403 on a page, 404 on a URL naming an object.
"""

from vigie.core.tests.url_matrix import DENIED, HIDDEN, OK, Answer

Expect = dict[str, Answer | tuple[Answer, Answer]]

READERS: Expect = {
    "caseworker": DENIED,
    "coordinator": OK,
    "org_admin": DENIED,
    "analyst": OK,
    "platform_admin": DENIED,
}


def editors(answer: Answer) -> Expect:
    """A page naming no object that only editors (analysts) may use."""
    return dict.fromkeys(READERS, DENIED) | {"analyst": answer}


def readers_any(answer: Answer) -> Expect:
    """A URL naming an object, read by coordinators and analysts in either scope."""
    return {
        "caseworker": (HIDDEN, HIDDEN),
        "coordinator": (answer, answer),
        "org_admin": (HIDDEN, HIDDEN),
        "analyst": (answer, answer),
        "platform_admin": (HIDDEN, HIDDEN),
    }


def editors_any(answer: Answer) -> Expect:
    """A URL naming an object, changed by analysts only."""
    return {**readers_any(answer), "coordinator": (HIDDEN, HIDDEN)}

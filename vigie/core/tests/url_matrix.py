"""The authorisation matrix: for every URL of Vigie, what each role gets.

``test_authorisation_matrix.py`` fails when a URL exists that is not declared here, or when a
name declared here no longer exists, then checks every cell against the running views.

A cell is the answer a signed-in user of organisation A (the platform administrator belongs to
none) gets for an object of their own organisation ("own") and for one of organisation B
("other"). The rules the table writes down, one cell at a time:

- a role without the permission gets 403 on a page, and 404 on a URL naming an object (for that
  person the object does not exist; nothing is looked up);
- an object out of scope is 404, never 403: a 403 would confirm that it exists;
- allowed is 200, or a redirect after a successful POST.

The expectations are written out by hand on purpose: deriving them from ``ROLE_PERMISSIONS``
would make the test agree with any change to the role table.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from vigie.accounts.models import User, UserSession
from vigie.cases.models import Case
from vigie.tests_support.factories_alerts import archived_case_of
from vigie.tests_support.factories_documents import Upload, document_for_tests, png_bytes

API_NAMESPACE = "api"
ROLES = ("caseworker", "coordinator", "org_admin", "analyst", "platform_admin")
OWN, OTHER = "own", "other"
GET, POST = "GET", "POST"

OK = 200
BAD_INPUT = 400
DENIED = 403
HIDDEN = 404
INVALID_FORM = 422


@dataclass(frozen=True)
class Redirect:
    """A 302 to the named page (query string ignored)."""

    view_name: str

    def __str__(self) -> str:
        return f"302 to {self.view_name}"


Answer = int | Redirect
LOGIN = Redirect("accounts:login")


def to(view_name: str) -> Redirect:
    return Redirect(view_name)


# --- Walking the URL configuration ------------------------------------------------------------


@dataclass(frozen=True)
class UrlEntry:
    name: str  # "namespace:name", or the route itself when a pattern has no name
    route: str
    params: frozenset[str]
    callback: Callable[..., Any]


def _pattern_params(pattern: Any) -> set[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return set(converters)
    return set(pattern.regex.groupindex)


def iter_url_patterns(
    resolver: URLResolver | None = None,
    namespace: str = "",
    route: str = "",
    params: frozenset[str] = frozenset(),
) -> Iterator[UrlEntry]:
    """Every URL pattern of the project, with its full namespaced name and route parameters.

    The REST API's operations (namespace ``api``) are left out: a session never opens them
    (every one answers 401 to a page's cookie), and vigie/api/tests/test_operations_matrix.py
    walks each of them with tokens instead.
    """
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver) and item.namespace == API_NAMESPACE:
            continue
        item_route = route + str(item.pattern)
        item_params = params | _pattern_params(item.pattern)
        if isinstance(item, URLResolver):
            child_namespace = namespace
            if item.namespace:
                child_namespace = f"{namespace}{item.namespace}:"
            yield from iter_url_patterns(item, child_namespace, item_route, item_params)
        elif isinstance(item, URLPattern):
            name = f"{namespace}{item.name}" if item.name else f"<unnamed {item_route}>"
            yield UrlEntry(name, item_route, item_params, item.callback)


# --- Objects the URLs point at ----------------------------------------------------------------


@dataclass
class World:
    """What the kwargs builders draw from. Organisation A is the actor's own, B the other one."""

    cases: dict[str, Case]
    # Someone of each organisation who is not the actor (account pages act on them).
    members: dict[str, User]


KwargsBuilder = Callable[[World, User, str], dict[str, Any]]


def case_of(world: World, actor: User, scope: str) -> dict[str, Any]:
    return {"case_uuid": world.cases[scope].uuid}


def screening_of(world: World, actor: User, scope: str) -> dict[str, Any]:
    from vigie.tests_support.factories import screening_for_tests

    screening = screening_for_tests(world.cases[scope])
    return {"case_uuid": screening.case.uuid, "screening_uuid": screening.uuid}


def document_of(world: World, actor: User, scope: str) -> dict[str, Any]:
    document = document_for_tests(world.cases[scope])
    return {"case_uuid": document.case.uuid, "document_uuid": document.uuid}


def event_of(name: str) -> KwargsBuilder:
    """The scope's case and a fresh event of it that the page ``name`` can update."""

    def build(world: World, actor: User, scope: str) -> dict[str, Any]:
        from vigie.tests_support.factories_events import event_url_kwargs

        case = world.cases[scope]
        return {"case_uuid": case.uuid, **event_url_kwargs(name, case)}

    return build


def right_of(world: World, actor: User, scope: str) -> dict[str, Any]:
    from vigie.tests_support.factories_rights import right_item_for_tests

    item = right_item_for_tests(world.cases[scope])
    return {"case_uuid": item.case.uuid, "right_uuid": item.uuid}


def member_of(world: World, actor: User, scope: str) -> dict[str, Any]:
    return {"user_uuid": world.members[scope].uuid}


def session_of(world: World, actor: User, scope: str) -> dict[str, Any]:
    """Own: another session of the actor (not the current one). Other: someone else's."""
    owner = actor if scope == OWN else world.members[OTHER]
    tracked = UserSession.objects.create(user=owner, session_key=secrets.token_hex(16))
    return {"session_id": tracked.pk}


def security_key_of(world: World, actor: User, scope: str) -> dict[str, Any]:
    """Own: a security key of the actor. Other: someone else's."""
    from django_otp_webauthn.models import WebAuthnCredential

    owner = actor if scope == OWN else world.members[OTHER]
    credential_id = secrets.token_bytes(16)
    key = WebAuthnCredential.objects.create(
        user=owner,
        name="Test key",
        # Unconfirmed: it must not count as an enrolled second factor in the pre-MFA probes.
        confirmed=False,
        credential_id=credential_id,
        public_key=b"not-a-real-key",
        aaguid="00000000-0000-0000-0000-000000000000",
        credential_id_sha256=secrets.token_hex(32),
    )
    return {"credential_id": key.pk}


def invalid_set_password_link(world: World, actor: User, scope: str) -> dict[str, Any]:
    uidb64 = urlsafe_base64_encode(force_bytes(world.members[scope].pk))
    return {"uidb64": uidb64, "token": "not-a-valid-token"}


# --- The matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One request to a URL and the answers expected.

    ``expect`` maps each role to one answer (URL without an object) or to (own, other).
    ``before_mfa`` is None for pages a signed-in user cannot reach before the second factor
    (they are sent to it); otherwise the answer expected at that stage.
    """

    method: str
    expect: dict[str, Answer | tuple[Answer, Answer]]
    data: dict[str, Any] = field(default_factory=dict)
    anonymous: Answer = LOGIN
    before_mfa: Answer | None = None

    def __post_init__(self) -> None:
        if set(self.expect) != set(ROLES):
            raise ValueError(f"A probe must state the answer for every role: {sorted(self.expect)}")


@dataclass(frozen=True)
class Route:
    probes: tuple[Probe, ...]
    kwargs: KwargsBuilder | None = None

    def __post_init__(self) -> None:
        for probe in self.probes:
            for role, answer in probe.expect.items():
                if isinstance(answer, tuple) != (self.kwargs is not None):
                    raise ValueError(
                        f"{role}: a URL with an object needs (own, other) answers, "
                        "a URL without one a single answer."
                    )


def every_role(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    """Pages any signed-in person may open: their own account pages."""
    return dict.fromkeys(ROLES, answer)


CASE_WORKERS_ONLY: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": OK,
    "coordinator": OK,
    "org_admin": DENIED,
    "analyst": DENIED,
    "platform_admin": DENIED,
}


def CASE_EDITORS_OWN_ONLY(answer: Answer) -> dict[str, Answer | tuple[Answer, Answer]]:
    """Caseworkers and coordinators on their own organisation's case; 404 for everyone else."""
    return {
        "caseworker": (answer, HIDDEN),
        "coordinator": (answer, HIDDEN),
        "org_admin": (HIDDEN, HIDDEN),
        "analyst": (HIDDEN, HIDDEN),
        "platform_admin": (HIDDEN, HIDDEN),
    }


MATRIX: dict[str, Route] = {
    # --- core ---
    "core:home": Route(probes=(Probe(GET, every_role(OK)),)),
    "core:healthz": Route(probes=(Probe(GET, every_role(OK), anonymous=OK, before_mfa=OK),)),
    "core:set_language": Route(
        probes=(
            Probe(
                POST,
                every_role(to("core:home")),
                data={"language": "en", "next": "/"},
                anonymous=to("core:home"),
                before_mfa=to("core:home"),
            ),
        )
    ),
    # --- accounts: signing in and one's own account ---
    "accounts:login": Route(probes=(Probe(GET, every_role(to("core:home")), anonymous=OK),)),
    "accounts:logout": Route(probes=(Probe(POST, every_role(LOGIN), before_mfa=LOGIN),)),
    # Already verified: nothing left to verify.
    # Before the second factor, each of these two leads to the one the person needs: the code
    # step when an authenticator is enrolled, enrolment otherwise (see the pre-MFA test).
    "accounts:mfa_verify": Route(probes=(Probe(GET, every_role(to("core:home"))),)),
    # Signing in counts as a fresh re-authentication, so no detour through accounts:reauth.
    "accounts:mfa_enrol": Route(probes=(Probe(GET, every_role(OK)),)),
    "accounts:backup_codes": Route(
        probes=(Probe(GET, every_role(OK)), Probe(POST, every_role(OK)))
    ),
    "accounts:reauth": Route(
        probes=(
            Probe(GET, every_role(OK)),
            Probe(POST, every_role(BAD_INPUT), data={"password": "wrong", "token": "000000"}),
        )
    ),
    "accounts:sessions": Route(probes=(Probe(GET, every_role(OK)),)),
    "accounts:security_keys": Route(probes=(Probe(GET, every_role(OK)),)),
    "accounts:security_key_delete": Route(
        kwargs=security_key_of,
        probes=(Probe(POST, every_role((to("accounts:security_keys"), HIDDEN))),),
    ),
    # --- WebAuthn endpoints (JSON, used by django-otp-webauthn's scripts) ---
    # Adding a key: verified and freshly re-authenticated users only (sign-in counts as fresh).
    "otp_webauthn:credential-registration-begin": Route(probes=(Probe(POST, every_role(OK)),)),
    # Without a ceremony begun in this session, there is nothing to complete.
    "otp_webauthn:credential-registration-complete": Route(
        probes=(Probe(POST, every_role(BAD_INPUT)),)
    ),
    # Using a key is the second step of sign-in: reachable before the second factor.
    "otp_webauthn:credential-authentication-begin": Route(
        probes=(Probe(POST, every_role(OK), before_mfa=OK),)
    ),
    "otp_webauthn:credential-authentication-complete": Route(
        probes=(Probe(POST, every_role(BAD_INPUT), before_mfa=BAD_INPUT),)
    ),
    "otp_webauthn:js-i18n-catalog": Route(probes=(Probe(GET, every_role(OK), before_mfa=OK),)),
    "accounts:session_revoke": Route(
        kwargs=session_of,
        probes=(Probe(POST, every_role((to("accounts:sessions"), HIDDEN))),),
    ),
    "accounts:password_change": Route(
        probes=(
            Probe(GET, every_role(OK)),
            Probe(
                POST,
                every_role(BAD_INPUT),
                data={"old_password": "not the password", "new_password": "x"},
            ),
        )
    ),
    # Public: the emailed link. An invalid or used token is a 404 page, for everyone.
    "accounts:set_password": Route(
        kwargs=invalid_set_password_link,
        probes=(Probe(GET, every_role((HIDDEN, HIDDEN)), anonymous=HIDDEN),),
    ),
    # --- accounts: administration ---
    "accounts:org_users": Route(
        probes=(
            Probe(
                GET,
                {
                    "caseworker": DENIED,
                    "coordinator": DENIED,
                    "org_admin": OK,
                    "analyst": DENIED,
                    "platform_admin": DENIED,
                },
            ),
        )
    ),
    "accounts:org_user_disable": Route(
        kwargs=member_of,
        probes=(
            Probe(
                POST,
                {
                    "caseworker": (HIDDEN, HIDDEN),
                    "coordinator": (HIDDEN, HIDDEN),
                    "org_admin": (to("accounts:org_users"), HIDDEN),
                    "analyst": (HIDDEN, HIDDEN),
                    "platform_admin": (HIDDEN, HIDDEN),
                },
            ),
        ),
    ),
    "accounts:organisations": Route(
        probes=(
            Probe(
                GET,
                {
                    "caseworker": DENIED,
                    "coordinator": DENIED,
                    "org_admin": DENIED,
                    "analyst": DENIED,
                    "platform_admin": OK,
                },
            ),
        )
    ),
    # --- cases ---
    "cases:list": Route(probes=(Probe(GET, CASE_WORKERS_ONLY),)),
    "cases:open": Route(
        probes=(
            Probe(GET, CASE_WORKERS_ONLY),
            Probe(
                POST,
                {
                    "caseworker": to("cases:detail"),
                    "coordinator": to("cases:detail"),
                    "org_admin": DENIED,
                    "analyst": DENIED,
                    "platform_admin": DENIED,
                },
                data={
                    "gender": "girl",
                    "care_status": "ase",
                    "exploitation_forms": ["forced_labour"],
                },
            ),
            Probe(
                POST,
                {
                    "caseworker": INVALID_FORM,
                    "coordinator": INVALID_FORM,
                    "org_admin": DENIED,
                    "analyst": DENIED,
                    "platform_admin": DENIED,
                },
                data={"gender": "girl", "care_status": "ase", "exploitation_forms": ["unknown"]},
            ),
        )
    ),
    "cases:detail": Route(
        kwargs=case_of,
        probes=(
            Probe(
                GET,
                {
                    "caseworker": (OK, HIDDEN),
                    "coordinator": (OK, HIDDEN),
                    "org_admin": (HIDDEN, HIDDEN),
                    "analyst": (HIDDEN, HIDDEN),
                    "platform_admin": (HIDDEN, HIDDEN),
                },
            ),
        ),
    ),
    "cases:note_add": Route(
        kwargs=case_of,
        probes=(
            Probe(
                POST,
                {
                    "caseworker": (to("cases:detail"), HIDDEN),
                    "coordinator": (to("cases:detail"), HIDDEN),
                    "org_admin": (HIDDEN, HIDDEN),
                    "analyst": (HIDDEN, HIDDEN),
                    "platform_admin": (HIDDEN, HIDDEN),
                },
                data={"text": "Rendez-vous fixé avec l'éducatrice."},
            ),
            # Scope comes before validation: an empty note on another organisation's file is
            # still a 404, not a form error that would confirm the file exists.
            Probe(
                POST,
                {
                    "caseworker": (INVALID_FORM, HIDDEN),
                    "coordinator": (INVALID_FORM, HIDDEN),
                    "org_admin": (HIDDEN, HIDDEN),
                    "analyst": (HIDDEN, HIDDEN),
                    "platform_admin": (HIDDEN, HIDDEN),
                },
                data={"text": "   "},
            ),
        ),
    ),
    "cases:access_log": Route(
        kwargs=case_of,
        probes=(
            Probe(
                GET,
                {
                    "caseworker": (HIDDEN, HIDDEN),
                    "coordinator": (OK, HIDDEN),
                    "org_admin": (HIDDEN, HIDDEN),
                    "analyst": (HIDDEN, HIDDEN),
                    "platform_admin": (HIDDEN, HIDDEN),
                },
            ),
        ),
    ),
    # Editing (optimistic lock: the version sent must be the file's; a fresh case is at 1).
    "cases:edit": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={
                    "version": "1",
                    "gender": "girl",
                    "guardianship": "ase_guardianship",
                    "care_status": "ase",
                    "schooling": "school",
                    "children_count": "0",
                },
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"version": "1", "gender": "girl", "children_count": "-1"},
            ),
            # A stale version: the conflict page (409 Conflict), nothing saved.
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(409),
                data={
                    "version": "7",
                    "gender": "boy",
                    "guardianship": "unknown",
                    "care_status": "none",
                    "schooling": "unknown",
                    "children_count": "0",
                },
            ),
        ),
    ),
    "cases:status": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={"version": "1", "to_status": "identified"},
            ),
            # Closing without a reason is refused.
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"version": "1", "to_status": "closed"},
            ),
        ),
    ),
    "cases:history": Route(kwargs=case_of, probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),)),
    # --- cases: documents, for the organisation holding the file only (even with a share) ---
    "cases:document_add": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={
                    "kind": "identity",
                    "title": "Acte de naissance",
                    "file": Upload("acte.png", png_bytes(), "image/png"),
                },
            ),
            # Judged by its content, not its name: a web page called photo.jpg is refused.
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"kind": "photo", "file": Upload("photo.jpg", b"<html></html>", "image/jpeg")},
            ),
        ),
    ),
    "cases:document": Route(kwargs=document_of, probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),)),
    "cases:document_delete": Route(
        kwargs=document_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("cases:detail"))),
        ),
    ),
    # --- cases: dated events (an invalid event is refused by name; writes: owner only) ---
    "cases:event_age_assessment": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={"assessed_on": "2024-05-02", "authority": "departement", "outcome": "adult"},
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"assessed_on": "2999-01-01", "authority": "departement", "outcome": "adult"},
            ),
        ),
    ),
    "cases:event_age_appeal": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("cases:detail")), data={"filed_on": "2024-05-02"}),
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={"filed_on": "2999-01-01"}),
        ),
    ),
    "cases:event_age_appeal_decide": Route(
        kwargs=event_of("cases:event_age_appeal_decide"),
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={"decided_on": "2024-06-01", "outcome": "minor"},
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"decided_on": "2023-01-01", "outcome": "minor"},
            ),
        ),
    ),
    "cases:event_placement": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={"kind": "hotel", "started_on": "2024-05-02"},
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"kind": "hotel", "started_on": "2999-01-01"},
            ),
        ),
    ),
    "cases:event_placement_end": Route(
        kwargs=event_of("cases:event_placement_end"),
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("cases:detail")), data={"ended_on": "2024-06-01"}),
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={"ended_on": "2023-01-01"}),
        ),
    ),
    "cases:event_proceeding": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={"role": "defendant", "opened_on": "2024-05-02"},
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"role": "victim", "opened_on": "2024-05-02", "criminal_record_entry": "on"},
            ),
        ),
    ),
    "cases:event_proceeding_update": Route(
        kwargs=event_of("cases:event_proceeding_update"),
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST, CASE_EDITORS_OWN_ONLY(to("cases:detail")), data={"non_punishment": "raised"}
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"non_punishment": "raised", "closed_on": "2023-01-01"},
            ),
        ),
    ),
    "cases:event_hearing": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={"held_on": "2024-05-02", "place": "uaped", "recording": "made"},
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"held_on": "2024-05-02", "place": "police_station", "recording": "refused"},
            ),
        ),
    ),
    "cases:event_compensation": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("cases:detail")), data={"filed_on": "2024-05-02"}),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"filed_on": "2024-05-02", "amount_awarded": "100"},
            ),
        ),
    ),
    "cases:event_compensation_update": Route(
        kwargs=event_of("cases:event_compensation_update"),
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("cases:detail")),
                data={
                    "filed_on": "2024-01-20",
                    "amount_awarded": "1500",
                    "awarded_on": "2024-09-01",
                },
            ),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(INVALID_FORM),
                data={"filed_on": "2024-01-20", "amount_paid": "-5", "paid_on": "2024-09-01"},
            ),
        ),
    ),
    # --- cases: archived files (retention), coordinators of the owning organisation only ---
    "cases:archive_list": Route(
        probes=(
            Probe(
                GET,
                {
                    "caseworker": DENIED,
                    "coordinator": OK,
                    "org_admin": DENIED,
                    "analyst": DENIED,
                    "platform_admin": DENIED,
                },
            ),
        )
    ),
    "cases:archive_open": Route(
        kwargs=archived_case_of,
        probes=(
            # The reason form; then the file, read-only, once a reason is given.
            Probe(GET, {**CASE_EDITORS_OWN_ONLY(HIDDEN), "coordinator": (OK, HIDDEN)}),
            Probe(
                POST,
                {**CASE_EDITORS_OWN_ONLY(HIDDEN), "coordinator": (OK, HIDDEN)},
                data={"reason": "access_request"},
            ),
            Probe(POST, {**CASE_EDITORS_OWN_ONLY(HIDDEN), "coordinator": (INVALID_FORM, HIDDEN)}),
        ),
    ),
    # --- identification: screening from the case file (writes need the owning organisation) ---
    "identification:screening_create": Route(
        kwargs=case_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={"age": "140"}),
            Probe(
                POST,
                CASE_EDITORS_OWN_ONLY(to("identification:screening_detail")),
                data={"situations": ["begging"]},
            ),
        ),
    ),
    "identification:screening_detail": Route(
        kwargs=screening_of, probes=(Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),)
    ),
    # --- rights plan: one right's update (writes need the owning organisation) ---
    "rights:item_update": Route(
        kwargs=right_of,
        probes=(
            Probe(GET, CASE_EDITORS_OWN_ONLY(OK)),
            Probe(POST, CASE_EDITORS_OWN_ONLY(to("cases:detail")), data={"state": "in_progress"}),
            # Refused needs a reason.
            Probe(POST, CASE_EDITORS_OWN_ONLY(INVALID_FORM), data={"state": "refused"}),
        ),
    ),
}


# Parts of other apps declare their own routes beside their tests (imported last: they build on
# the helpers above).
def _parts() -> dict[str, Route]:
    from vigie.advocacy.tests import conventions_reports, conventions_tracker
    from vigie.api.tests import conventions_api
    from vigie.cases.tests import conventions_exports as conventions_case_exports
    from vigie.imports.tests import conventions_imports
    from vigie.monitoring.tests import (
        conventions_dashboard,
        conventions_exports,
        conventions_releases,
    )
    from vigie.network.tests import (
        conventions_directory,
        conventions_notifications,
        conventions_places,
        conventions_referrals,
        conventions_transfers,
    )
    from vigie.outreach.tests import (
        conventions_ads,
        conventions_clusters,
        conventions_contacts,
        conventions_import_ads,
    )
    from vigie.outreach.tests import (
        conventions_reports as conventions_outreach_reports,
    )

    routes: dict[str, Route] = {}
    for part in (
        conventions_referrals,
        conventions_transfers,
        conventions_directory,
        conventions_places,
        conventions_notifications,
        conventions_dashboard,
        conventions_releases,
        conventions_exports,
        conventions_tracker,
        conventions_reports,
        conventions_imports,
        conventions_api,
        conventions_case_exports,
        conventions_ads,
        conventions_clusters,
        conventions_contacts,
        conventions_import_ads,
        conventions_outreach_reports,
    ):
        overlap = set(routes) & set(part.ROUTES)
        if overlap:
            raise ValueError(f"Routes declared twice: {sorted(overlap)}")
        routes |= part.ROUTES
    return routes


MATRIX |= _parts()

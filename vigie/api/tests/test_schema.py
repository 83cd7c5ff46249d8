"""schemathesis against the OpenAPI schema, on a seeded database: whatever a client sends that
the schema allows (and much that it does not), the API never answers 5xx, and every answer
conforms to the schema (status code declared, body valid, content type, headers).

Path parameters are drawn from the seeded objects as well as at random, so that operations are
exercised on real files, referrals, places and releases, not only on 404s. The state machine
test then chains operations through the links schemathesis infers from the schema (a created
file read back and changed, …).
"""

import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from vigie.accounts.models import Organisation
from vigie.api.api import api
from vigie.tests_support.api import token_for
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_directory import DirectoryEntryFactory
from vigie.tests_support.factories_places import AccommodationPlaceFactory
from vigie.tests_support.factories_referrals import ReferralFactory
from vigie.tests_support.factories_releases import release_published
from vigie.tests_support.factories_transfers import TransferFactory

# Per operation: enough to reach every branch of its validation without making the suite slow
# (two databases, some forty operations).
EXAMPLES_PER_OPERATION = 25


def _seed(org_a: Organisation, org_b: Organisation, users) -> dict[str, list[str]]:
    """Objects of the token's organisation (A) and of another (B): both kinds are drawn."""
    own_cases = [CaseFactory(organisation=org_a) for _ in range(3)]
    other_case = CaseFactory(organisation=org_b)
    referrals = [
        ReferralFactory(case=own_cases[0], to_organisation=org_b),
        ReferralFactory(case=other_case, to_organisation=org_a),
    ]
    transfers = [
        TransferFactory(case=own_cases[1], to_organisation=org_b),
        TransferFactory(case=other_case, to_organisation=org_a),
    ]
    entries = [DirectoryEntryFactory(maintained_by=org) for org in (org_a, org_b)]
    places = [AccommodationPlaceFactory(organisation=org) for org in (org_a, org_b)]
    release = release_published(
        tables={("gender", "age_band"): {("girl", "15-17"): 40, ("boy", "15-17"): 7}}
    )
    return {
        "case_uuid": [str(c.uuid) for c in [*own_cases, other_case]],
        "referral_uuid": [str(r.uuid) for r in referrals],
        "transfer_uuid": [str(t.uuid) for t in transfers],
        "entry_uuid": [str(e.uuid) for e in entries],
        "place_uuid": [str(p.uuid) for p in places],
        "release_uuid": [str(release.uuid)],
    }


@pytest.fixture
def seeded(db, org_a, org_b, users, settings):
    # The rate limit has its own test; here thousands of calls share two tokens.
    settings.VIGIE_API_RATE_LIMIT = "1000000/m"
    seeds = _seed(org_a, org_b, users)
    _SEEDS.clear()
    _SEEDS.update(seeds)
    tokens = {
        "analyst": token_for(users[("analyst", "a")])[1],
        "coordinator": token_for(users[("coordinator", "a")])[1],
    }
    _TOKENS.clear()
    _TOKENS.update(tokens)
    # Called through WSGI rather than Django's test client, the requests would close the test's
    # database connection when they end: disconnect that, as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield seeds, tokens
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The schema as the API serves it (the same document as /api/v1/openapi.json, tested there),
# called in process through the WSGI application.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
# The seeded objects' UUIDs of the running test, by path parameter name (see ``seeded``).
_SEEDS: dict[str, list[str]] = {}


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    # Each well-formed id of a seeded kind of object: one of the seeded ones, or the random value
    # schemathesis drew (an object that does not exist). A malformed one (a negative case) is
    # left as drawn.
    if not path_parameters:
        return st.just(path_parameters)
    choices = {
        name: st.sampled_from([*_SEEDS[name], value])
        if name in _SEEDS and _is_uuid(value)
        else st.just(value)
        for name, value in path_parameters.items()
    }
    return st.fixed_dictionaries(choices)


# The tokens of the running test, by who uses them (see ``seeded``).
_TOKENS: dict[str, str] = {}


@schema.auth()
class _BearerToken:
    """The analyst's token for statistics releases, the coordinator's for everything else.
    Declared as schemathesis's auth (not as a header the test adds) so that its checks of
    missing or ignored authentication see requests as they are sent."""

    def get(self, case, context):
        # Read when the request is sent (``set``): schemathesis caches what ``get`` returns,
        # and each test has its own tokens.
        return "current"

    def set(self, case, data, context):
        scope = case.operation.definition.raw.get("x-vigie-scope", "")
        secret = _TOKENS.get("analyst" if scope.startswith("releases:") else "coordinator", "")
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    # The same examples on every run: CI never flakes on a draw (widen locally by changing the
    # numbers; a failure found is replayed by hypothesis).
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_and_never_fails(case, seeded):
    """Every check of schemathesis but one: a request the schema allows may still break a rule
    the schema cannot say (a birth date after the identification, a département that does not
    exist, a stale cursor, another organisation's person): 422 is the right answer there."""
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_chained_operations_conform_and_never_fail(seeded):
    """Stateful: schemathesis chains operations through the links it infers from the schema
    (a file created, then read, changed, screened, referred...), checking every answer."""

    class Workflow(schema.as_state_machine()):
        # Each scenario starts from the seeded database: what one scenario created is rolled
        # back before the next (otherwise the links found depend on earlier scenarios, and
        # hypothesis cannot replay a failure).
        def setup(self):
            self._scenario = transaction.atomic()
            self._scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._scenario.__exit__(None, None, None)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # The same checks as above (see test_every_operation_conforms_and_never_fails).
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=[positive_data_acceptance],
                transport_kwargs=kwargs or None,
            )

    assert Workflow.bundles, "schemathesis found no link between operations"
    Workflow.run(
        settings=settings(
            max_examples=30,
            derandomize=True,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )

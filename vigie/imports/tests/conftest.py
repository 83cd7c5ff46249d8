import pytest

from vigie.audit.services import Actor


@pytest.fixture
def coordinator(users):
    return Actor(users[("coordinator", "a")])

"""schemathesis over /api/v1/openapi.json: every operation, as a curator and as a participant.

Checks: no 5xx, every status documented, every body matching its documented schema. The seed and
the number of examples are fixed here so a failure replays: `make test` runs a short pass
(API_FUZZ_EXAMPLES, default 5 per operation), `.ci/run` a longer one. To replay a failure, run
this module with the same API_FUZZ_EXAMPLES; schemathesis prints the failing request as a curl.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from config.wsgi import application
from participants import roles
from participants.services import issue_api_token
from tests.factories import (
    EventFactory,
    MentoringGroupFactory,
    MentorProfileFactory,
    ProgramFactory,
    RegistrationFactory,
    TrackFactory,
    make_user,
)
from tests.surveys.conftest import make_questionnaire

SEED = 20260509
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

pytestmark = pytest.mark.api_fuzz


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: requests must not close the test's database connection
    (schemathesis calls the WSGI app directly, so Django's request signals would close it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, municipality):
    """A little of everything, so that small generated ids hit real objects too."""
    program = ProgramFactory(municipality=municipality)
    track = TrackFactory(program=program)
    event = EventFactory(municipality=municipality, program=program, track=track)
    RegistrationFactory(event=event)
    MentoringGroupFactory(municipality=municipality)
    MentorProfileFactory(person__municipality=municipality)
    make_questionnaire()
    return event


def _bearer(role, municipality):
    user = make_user(f"fuzz-{role}", role=role, municipality=municipality)
    return {"Authorization": f"Bearer {issue_api_token(user, name='fuzz')[1]}"}


@pytest.fixture
def curator_bearer(api_data, municipality):
    return _bearer(roles.CURATOR, municipality)


@pytest.fixture
def participant_bearer(api_data, municipality):
    return _bearer(roles.PARTICIPANT, municipality)


def _load_schema():
    """The document /api/v1/openapi.json serves, and the app that answers its requests."""
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = application
    return loaded


schema = _load_schema()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@schema.parametrize()
@seed(SEED)
@FUZZ
def test_api_answers_a_curator_as_documented(case, curator_bearer):
    case.call_and_validate(headers=curator_bearer, checks=CHECKS)


@schema.parametrize()
@seed(SEED)
@FUZZ
def test_api_answers_a_participant_as_documented(case, participant_bearer):
    case.call_and_validate(headers=participant_bearer, checks=CHECKS)

"""Schemathesis against /api/ (the OpenAPI schema the app serves, loaded in-process): every operation,
called as a learner and as an HR officer (who is also the learner's supervisor and a service officer),
with generated valid input (the answer has a documented status, media type and body) and generated
invalid input (refused with a 4xx, never a 500); an anonymous client gets a 401 from every operation
that needs a login; and stateful sequences follow the links between operations (register a service
request, then read, assign and move it on). Path parameters and some body fields name real records
half of the time, so the views get past their lookups."""

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests import api_fuzz

GENERATION = {"with-security-parameters": False, "database": "none"}
valid = api_fuzz.load_schema(generation={**GENERATION, "mode": "positive", "max-examples": 30})
invalid = api_fuzz.load_schema(generation={**GENERATION, "mode": "negative", "max-examples": 30}).include(
    api_fuzz.can_be_invalid
)
anything = api_fuzz.load_schema(generation={**GENERATION, "mode": "all", "max-examples": 10})
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def world(restore_migrated_data, django_db_blocker):
    """Committed once for the module (each example's writes are rolled back); the module's end puts
    the migrated rows back, as after any committing test."""
    with django_db_blocker.unblock():
        return api_fuzz.world_build()


def is_valid(case, location) -> bool:
    component = case.meta.components.get(location) if case.meta else None
    return component is None or not component.mode.is_negative


def name_real_records(case, data, world):
    """Half of the time, the path names records that exist, and so do the body's fields that name one."""
    if case.path_parameters and is_valid(case, ParameterLocation.PATH) and data.draw(st.booleans()):
        case.path_parameters = {
            name: data.draw(st.sampled_from(world.path_values[name]), label=name) for name in case.path_parameters
        }
    if isinstance(case.body, dict) and is_valid(case, ParameterLocation.BODY):
        known = [name for name in case.body if name in world.body_values]
        if known and data.draw(st.booleans()):
            real = {name: data.draw(st.sampled_from(world.body_values[name]), label=name) for name in known}
            case.body = {**case.body, **real}


def refusal_checks(case):
    """Invalid input must be refused, but for what DRF's fields accept by design: a JSON body that is
    valid once read the way they read it, and a form body (a form cannot say null or "not given", so
    DRF reads an empty form field as not given: its default, or null). Those must still never cause a
    500 or an undocumented answer."""
    if case.media_type is None or (case.media_type == "application/json" and not api_fuzz.valid_as_drf_reads_it(case)):
        return [*CONFORMANCE, negative_data_rejection]
    return CONFORMANCE


def call(case, role, world):
    with api_fuzz.rolled_back():
        return case.call(headers=world.headers(role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", api_fuzz.ROLES)
@valid.parametrize()
@valid.given(data=st.data())
@SETTINGS
def test_valid_input_is_answered_as_documented(case, data, role, world):
    name_real_records(case, data, world)
    response = call(case, role, world)
    case.validate_response(response, checks=CONFORMANCE)


@pytest.mark.django_db
@pytest.mark.parametrize("role", api_fuzz.ROLES)
@invalid.parametrize()
@invalid.given(data=st.data())
@SETTINGS
def test_invalid_input_is_refused_with_a_4xx(case, data, role, world):
    name_real_records(case, data, world)
    response = call(case, role, world)
    case.validate_response(response, checks=refusal_checks(case))


@pytest.mark.django_db
@anything.parametrize()
@anything.given(data=st.data())
@SETTINGS
def test_an_anonymous_client_gets_a_401_wherever_a_login_is_needed(case, data, world):
    name_real_records(case, data, world)
    response = call(case, "anonymous", world)
    case.validate_response(response, checks=refusal_checks(case))
    if api_fuzz.needs_login(case.operation):
        # an invalid path parameter may name no URL at all: that is a 404 for anyone
        expected = {401} if is_valid(case, ParameterLocation.PATH) else {401, 404}
        assert response.status_code in expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", api_fuzz.ROLES)
def test_sequences_of_linked_operations(role, world):
    """Schemathesis infers links from the schema (a request's ``number`` in a list or a 201 feeds the
    operations with ``{number}`` in their path); each scenario runs in a savepoint rolled back after."""

    class Workflow(valid.as_state_machine()):
        def setup(self):
            cache.clear()
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def before_call(self, case):
            # a body names real records (a service, a valid NIK, an officer), so sequences get past a 400
            if isinstance(case.body, dict):
                case.body = {**case.body, **{k: world.body_values[k][0] for k in case.body if k in world.body_values}}

        def get_call_kwargs(self, case):
            return {"headers": world.headers(role)}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CONFORMANCE)

    Workflow.run(settings=settings(SETTINGS, max_examples=15, stateful_step_count=6, phases=[Phase.generate]))

"""Schemathesis against /api/openapi.json, as a logged-in member of the group: whatever it
sends, the API never answers 5xx, and every answer matches the document (status codes it
names, their bodies, content types).  Bounded: a few hundred cases in all, on SQLite and on
PostgreSQL (both suites run it).  The path ids are the member's own group and alert, so the
bodies reach the actions instead of stopping at a 404."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.api.urls import api
from buurtwacht.geo.models import Street
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db

CASES_PER_OPERATION = 30  # x every operation of the document (18)


# The document /api/openapi.json serves, called on the real WSGI app.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))


@pytest.fixture
def wsgi_app():
    """The WSGI app, made after the test settings are in place (middleware reads them when
    it is made), minus what Django's test client also switches off: closing the database
    connection after each request (it is the test's own, inside the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def member(client, group, mo_member):
    """The session cookie and CSRF token of a logged-in member, as a browser sends them."""
    client.force_login(mo_member)
    secret = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": secret},
        "headers": {"X-CSRFToken": secret},
    }


@pytest.fixture
def ids(group, mo_member):
    alert, _created = alert_actions.post_alert(
        user=mo_member,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="fuzz-alert",
            kind="suspicious_person",
            what="Iemand kijkt door ramen",
            street_id=Street.objects.get(name=GROUP_STREET).pk,
        ),
    )
    return {"group_id": group.pk, "alert_id": alert.pk}


@schema.parametrize()
@settings(
    max_examples=CASES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases on every run: a red build can be rerun
)
def test_the_api_never_fails_and_answers_as_its_document_says(case, wsgi_app, member, ids):
    for name in case.path_parameters or {}:
        if name in ids:
            case.path_parameters[name] = ids[name]
    case.call_and_validate(
        app=wsgi_app,
        **member,
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            content_type_conformance,
        ],
    )

import io

import pytest
from django.core.management import get_commands

from buurtwacht.accounts.models import User
from buurtwacht.demo import data as demo
from buurtwacht.groups.access import role_in
from buurtwacht.groups.models import Group
from buurtwacht.groups.policy import Role

pytestmark = pytest.mark.django_db


def test_demo_data_is_real_and_rerunnable():
    out = io.StringIO()
    demo.run(out=out)
    demo.run(out=out)  # safe to re-run: nothing doubles
    assert User.objects.filter(email__endswith="@demo.buurtwacht.nl").count() == len(demo.PERSONAS)
    group = Group.objects.get(name=demo.DEMO_GROUP)
    roles = {u.email.split("@")[0]: role_in(user=u, group=group)[0] for u in User.objects.all()}
    assert roles["anna"] == Role.ADMIN
    assert roles["mo"] == roles["lotte"] == Role.MEMBER
    assert roles["sem"] == Role.PENDING
    assert roles["pieter"] == Role.WIJKAGENT
    assert roles["bob"] == Role.OUTSIDER
    assert "buurtwacht-demo" in out.getvalue()


def test_the_demo_command_lives_in_the_demo_app():
    # `manage.py demo` (and so `make demo`) is the demo app's command, not core's
    assert get_commands()["demo"] == "buurtwacht.demo"

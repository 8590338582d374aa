import pytest


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """The newsletter task runs when it is queued (after commit) instead of in a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "buurtwacht.core"
    label = "core"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        # One log line and the task metrics per finished task (core/ops.py).
        task_finished.connect(_task_finished, dispatch_uid="buurtwacht.core.log_task")


def _task_finished(sender: object, task_result: object, **kwargs: object) -> None:
    from .ops import log_task

    log_task(task_result=task_result)

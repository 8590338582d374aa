"""Shared pieces of the geo imports."""

from collections.abc import Iterator
from typing import Any, Protocol

from buurtwacht.core.errors import ActionError


class Writer(Protocol):
    """Where progress lines go: a text file, ``sys.stdout`` or a command's ``self.stdout``."""

    def write(self, msg: str, /) -> Any: ...


class ImportFileError(ActionError):
    """The file as a whole cannot be imported (missing, wrong format); nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__("import_file", message)


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def say(stdout: Writer | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")

"""Errors raised by actions; their message is for people (Dutch through gettext)."""


class ActionError(Exception):
    """A business rule refused the action. `code` is stable for APIs, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

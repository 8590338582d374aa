"""Log lines as JSON (LOG_FORMAT=json): imported by the logging set-up, so nothing here
needs Django to be ready."""

import contextvars
import datetime as dt
import json
import logging
from typing import Any

# The request id of the request this thread (or task) works for: in every log line.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id when there
    is one, the record's `fields` and, on an error, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if current := request_id.get():
            line["request_id"] = current
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)

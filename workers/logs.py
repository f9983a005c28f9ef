"""Worker log lines for people or for log shippers (RASAD_LOG_JSON=1: one JSON object per line), secrets masked.

`logging_config` is the dictConfig the worker hands to faust. Either way a filter masks the configured secrets:
aiokafka logs every request at debug level, SASL PLAIN's `SaslAuthenticateRequest(sasl_auth_bytes=b'user\\x00user\\x00
password')` included.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from .settings import Settings

__all__ = ["JsonFormatter", "RedactSecrets", "logging_config"]

MASK = "***"
# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: time (UTC, ISO 8601), level, logger, message, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRS and not key.startswith("_") and key not in out:
                out[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exc"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        line = json.dumps(out, ensure_ascii=False, default=str)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (from hostile input) would break the stream: escape it
            line = json.dumps(out, ensure_ascii=True, default=str)
        return line


class RedactSecrets(logging.Filter):
    """Replace every configured secret in a record's message and traceback, also as a bytes or str repr shows it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        forms: set[str] = set()
        for secret in secrets:
            if secret:
                forms |= {secret, repr(secret)[1:-1], repr(secret.encode("utf-8"))[2:-1]}
        self.forms = sorted(forms, key=len, reverse=True)  # longest first, so no partial mask leaves a tail

    def redact(self, text: str) -> str:
        for form in self.forms:
            text = text.replace(form, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.forms:
            return True
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()  # () not None: mode's formatter wraps None into (None,)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def logging_config(settings: Settings, loglevel: str | int) -> dict[str, Any]:
    """A dictConfig for faust's Worker(logging_config=…): JSON lines or faust's usual format, secrets masked.

    With "merge", mode (faust's service library) keeps its own formatters and replaces only the handler named here.
    """
    level = logging.getLevelName(loglevel.upper()) if isinstance(loglevel, str) else loglevel
    handler: dict[str, Any] = {
        "level": level,
        "filters": ["redact"],
        "stream": "ext://sys.stderr",
    }
    if settings.log_json:
        handler.update({"class": "logging.StreamHandler", "formatter": "json"})
    else:
        handler.update({"class": "colorlog.StreamHandler", "formatter": "colored"})
    return {
        "merge": True,
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactSecrets, "secrets": list(settings.secrets)}},
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"default": handler},
    }

"""Errors as JSON: every failure answers ``{"error": {"type", "field", "message"}}``.

========================================  ======  ====================
raised                                    status  ``error.type``
========================================  ======  ====================
``matching.ValidationError``              422     ``validation_error``
pydantic ``RequestValidationError``       422     ``validation_error``
a body not sent as JSON                  415     ``unsupported_media_type``
``matching.UnknownIdError``               404     ``not_found``
``matching.DuplicateIdError``             409     ``duplicate_id``
other ``matching.GradmatchError``         400     ``bad_request``
:class:`ApiKeyError`                      401     ``unauthorized``
:class:`ForbiddenError`                   403     ``forbidden``
:class:`ConflictError`                    409     ``conflict``
``matching.StorageError``                 500     ``storage_error``
Starlette ``HTTPException`` (404, 405)    as is   ``http_error``
anything else                             500     ``internal_error``
========================================  ======  ====================
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from matching import (
    ID_GRAMMAR,
    DuplicateIdError,
    GradmatchError,
    StorageError,
    UnknownIdError,
    ValidationError,
)
from service.models import ErrorDetail, ErrorResponse

__all__ = [
    "ApiKeyError",
    "ConflictError",
    "ForbiddenError",
    "install_error_handlers",
    "loc_to_field",
]

logger = logging.getLogger("service")

# Union members are tagged "single"/"batch" (see service.models); the tag is not a field.
_TAGS = frozenset({"single", "batch"})
_SOURCES = frozenset({"body", "query", "path", "header"})


class ApiKeyError(Exception):
    """A request without the configured key; ``header`` names the header that was wrong."""

    def __init__(self, header: str) -> None:
        self.header = header
        super().__init__(f"missing or wrong {header} header")


class ForbiddenError(Exception):
    """A credential whose role does not reach what was asked."""


class ConflictError(Exception):
    """A request that clashes with work under way (a second training while one runs)."""


def error_response(
    status: int,
    kind: str,
    message: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON error response in the service's one error shape."""
    body = ErrorResponse(error=ErrorDetail(type=kind, field=field, message=message))
    return JSONResponse(status_code=status, content=body.model_dump(), headers=dict(headers or {}))


def loc_to_field(loc: Sequence[Any]) -> str | None:
    """Turn a pydantic error location into a field path.

    ``("body", "jobs", 3, "city")`` -> ``"jobs[3].city"``; a location that names only its
    source, such as ``("body",)``, gives the source.
    """
    parts = list(loc)
    source = None
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _TAGS:
            continue
        else:
            out += f".{part}" if out else str(part)
    # An error about the whole body (not an object, say) is the body's.
    return out or source


async def _domain_validation(request: Request, exc: Exception) -> JSONResponse:
    err = cast(ValidationError, exc)
    return error_response(422, "validation_error", err.message, err.field)


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    errors = cast(RequestValidationError, exc).errors()
    if not errors:
        return error_response(422, "validation_error", "invalid request")
    first = errors[0]
    if first.get("type") == "json_invalid":
        # The location of a JSON syntax error is a character offset, not a field.
        reason = first.get("ctx", {}).get("error", "JSON decode error")
        position = first.get("loc", ("body", "?"))[-1]
        return error_response(
            422, "validation_error", f"not valid JSON: {reason} (at character {position})", "body"
        )
    content_type = request.headers.get("content-type", "")
    if (
        loc_to_field(first.get("loc", ())) in ("", "body")
        and isinstance(first.get("input"), (bytes, str))
        and "json" not in content_type.lower()
    ):
        # a body that was not sent as JSON is not read at all (and not echoed back)
        return error_response(
            415,
            "unsupported_media_type",
            f"the body must be JSON sent with 'Content-Type: application/json'; got "
            f"{content_type or 'no content type'!r}",
            "body",
        )
    field = loc_to_field(first.get("loc", ()))
    message = str(first.get("msg", "invalid value"))
    kind = first.get("type")
    if kind == "string_unicode":
        # a lone surrogate ("\ud800"): the text is not valid Unicode
        message = "holds an unpaired surrogate; text must be valid Unicode"
    elif kind == "string_pattern_mismatch" and (field or "").endswith("id"):
        message = f"an id is {ID_GRAMMAR}"
    if "input" in first and kind != "missing":
        received = repr(first["input"])
        # Echo what was received, but not a whole request body.
        if len(received) > 200:
            received = received[:200] + "..."
        message = f"{message}; got {received}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more error(s))"
    return error_response(422, "validation_error", message, field)


async def _unknown_id(request: Request, exc: Exception) -> JSONResponse:
    err = cast(UnknownIdError, exc)
    return error_response(404, "not_found", str(err), f"{err.kind}_id")


async def _duplicate_id(request: Request, exc: Exception) -> JSONResponse:
    return error_response(409, "duplicate_id", str(exc), "id")


async def _storage(request: Request, exc: Exception) -> JSONResponse:
    logger.error("storage error on %s %s: %s", request.method, request.url.path, exc)
    return error_response(500, "storage_error", f"the engine could not be saved or read: {exc}")


async def _domain_other(request: Request, exc: Exception) -> JSONResponse:
    return error_response(400, "bad_request", str(exc))


async def _api_key(request: Request, exc: Exception) -> JSONResponse:
    header = cast(ApiKeyError, exc).header
    return error_response(
        401, "unauthorized", str(exc), header, headers={"WWW-Authenticate": "APIKey"}
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    err = cast(StarletteHTTPException, exc)
    return error_response(err.status_code, "http_error", str(err.detail), headers=err.headers)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    # The detail goes to the log, not to the caller: it may name paths or internals.
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "internal server error")


async def _conflict(request: Request, exc: Exception) -> JSONResponse:
    return error_response(409, "conflict", str(exc))


async def _forbidden(request: Request, exc: Exception) -> JSONResponse:
    return error_response(403, "forbidden", str(exc), "Authorization")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers of the table above on ``app``."""
    # Starlette picks the handler of the most specific class in the exception's MRO, so the
    # GradmatchError fallback does not shadow the specific ones.
    app.add_exception_handler(ValidationError, _domain_validation)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(UnknownIdError, _unknown_id)
    app.add_exception_handler(DuplicateIdError, _duplicate_id)
    app.add_exception_handler(StorageError, _storage)
    app.add_exception_handler(GradmatchError, _domain_other)
    app.add_exception_handler(ApiKeyError, _api_key)
    app.add_exception_handler(ForbiddenError, _forbidden)
    app.add_exception_handler(ConflictError, _conflict)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _internal)

"""Refusals as JSON: ``{"detail": …, "errors": {field: [messages]}}``, in the caller's language.

Objects outside the caller's scope answer 404 exactly like missing ones (personnel.permissions).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class FieldErrors(exceptions.APIException):
    """Bad input: the messages of each field (from the screens' forms and services)."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, errors: dict):
        self.errors = {
            name: [str(message) for message in messages] for name, messages in errors.items()
        }
        super().__init__(detail=_("The request was refused; see the messages of each field."))


class Conflict(exceptions.APIException):
    """Someone saved the record after the version the caller sent (optimistic locking)."""

    status_code = status.HTTP_409_CONFLICT


def validation_errors(error: ValidationError, known: set[str] | None = None) -> dict:
    """A Django ``ValidationError`` as {field: [messages]}; fields the caller did not send
    (or messages for the whole record) under ``non_field_errors``."""
    if hasattr(error, "error_dict"):
        errors: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            key = name if name != "__all__" and (known is None or name in known) else None
            errors.setdefault(key or "non_field_errors", []).extend(messages)
        return errors
    return {"non_field_errors": list(error.messages)}


def form_errors(form) -> dict:
    """A bound form's errors, ``__all__`` named ``non_field_errors``."""
    return {
        ("non_field_errors" if name == "__all__" else name): list(messages)
        for name, messages in form.errors.items()
    }


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, FieldErrors):
        response.data = {"detail": str(exc.detail), "errors": exc.errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    elif isinstance(response.data, dict):  # a serializer's field errors
        response.data = {
            "detail": _("The request was refused; see the messages of each field."),
            "errors": {
                name: [
                    str(message)
                    for message in (messages if isinstance(messages, list) else [messages])
                ]
                for name, messages in response.data.items()
            },
        }
    else:
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    return response

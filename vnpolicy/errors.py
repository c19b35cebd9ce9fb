"""Errors a user can act on.

Every failure on bad input is a :class:`VNPolicyError` subclass whose message is one
line that says what is wrong and, where there is something to do, what to do
(habit 12 of STYLE.md, after spaCy's ``errors.py``). The CLI prints ``str(err)``
and exits non-zero; it never shows a traceback for these.
"""

from __future__ import annotations


class VNPolicyError(Exception):
    """Base class of every error vnpolicy raises on purpose."""

    #: a short machine-readable name, used in batch error rows
    code = "error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        # One line, always: a multi-line message would break the CLI's contract.
        message = " ".join(message.split())
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(VNPolicyError):
    """The input cannot be read as a document."""

    code = "input"


class FileMissingError(InputError):
    code = "missing"


class EmptyDocumentError(InputError):
    code = "empty"


class BinaryContentError(InputError):
    code = "binary"


class EncodingError(InputError):
    code = "encoding"


class UnsupportedFormatError(InputError):
    code = "unsupported"


class CorruptFileError(InputError):
    code = "corrupt"


class EncryptedDocumentError(InputError):
    code = "encrypted"


class NoTextLayerError(InputError):
    code = "no_text_layer"


class InputTooLargeError(InputError):
    code = "too_large"


class MissingDependencyError(VNPolicyError):
    code = "dependency"

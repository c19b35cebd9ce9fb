"""vnpolicy: Vietnamese policy documents to validated, structured JSON.

>>> import vnpolicy
>>> doc = vnpolicy.parse("Thực hiện Chỉ thị số 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ.")
>>> doc.schema_version
'1.0'

Importing this package is cheap: the names below load their modules on first use
(after pydantic's lazy ``__getattr__``), and pdfplumber, python-docx, rapidfuzz,
underthesea and spaCy are imported only inside the functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vnpolicy.errors import InputError, VNPolicyError

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "InputError",
    "PolicyDocument",
    "VNPolicyError",
    "__version__",
    "parse",
    "parse_file",
]

_LAZY = {
    "parse": ("vnpolicy.api", "parse"),
    "parse_file": ("vnpolicy.api", "parse_file"),
    "PolicyDocument": ("vnpolicy.schemas.models", "PolicyDocument"),
    "SCHEMA_VERSION": ("vnpolicy.schemas.models", "SCHEMA_VERSION"),
}

if TYPE_CHECKING:  # pragma: no cover
    from vnpolicy.api import parse, parse_file
    from vnpolicy.schemas.models import SCHEMA_VERSION, PolicyDocument


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'vnpolicy' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

"""Pipeline step: the region of the text that is the document, not its website's page.

The furniture lines and the rule are in :mod:`vnpolicy.furniture`; this step runs after
metadata (the document's own code lets the site's title line before the footer go with
the footer) and before every extractor that uses the region: structure excludes what lies
outside it, and :func:`vnpolicy.extract.run_pipeline` drops the items found there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vnpolicy.furniture import document_region

if TYPE_CHECKING:  # pragma: no cover
    from vnpolicy.extract import Draft

__all__ = ["extract"]


def extract(draft: Draft) -> None:
    draft.region = document_region(draft.text, code=draft.metadata.code)

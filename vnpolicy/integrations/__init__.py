"""Optional integrations with other libraries, each imported only on use.

- :mod:`vnpolicy.integrations.dask`: extraction as a Dask bag, flat tables as Dask
  DataFrames (``pip install 'vnpolicy[dask]'``).
- :mod:`vnpolicy.integrations.spacy`: the ``vnpolicy`` pipeline component (found by
  ``nlp.add_pipe("vnpolicy")`` through the ``spacy_factories`` entry point) and the
  gazetteer and reference rules as ``SpanRuler`` patterns (``pip install 'vnpolicy[spacy]'``).
- :mod:`vnpolicy.integrations.underthesea`: underthesea's sentence and word
  segmentation with offsets realigned to the original text (offline models only).
"""

"""publisher — from the CAI's fiches to a print-ready book.

The pipeline (see :mod:`publisher.build`), one package per stage::

    export .txt, .docx ─importer/, word/─► book/fiches/*.md
    book/ ─source/─► Book ─enrich/─► Book ─checks/─► diagnostics
          ─render/─► HTML ─layout/─► pages + PDF (preflight) ─► build/*.pdf
    proof/ (proofreaders' drafts) ─► annotated copies ─collect/─► fiches;  desk/: all of it in a browser

On top: the typed, frozen ``model``, the ``diagnostics`` editors read, the walks over runs
(``tree``), ``build`` and the ``cli``.
"""

__version__ = "0.1.0"

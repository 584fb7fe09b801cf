"""publisher — from the CAI's fiches to a print-ready book.

The pipeline (see :func:`publisher.build.build_volume`)::

    export .txt ─import─► book/fiches/*.md
    book/ ─load─► Book ─enrich─► Book ─check─► diagnostics
          ─html─► HTML ─layout─► pages + PDF ─preflight─► build/*.pdf
"""

__version__ = "0.1.0"

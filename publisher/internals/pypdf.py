"""pypdf's internals that the PDF surgery uses (checked with pypdf 7.1.1).

pypdf has no public way to add an object (a stream) to a PDF being written, nor to set its
file identifier (``/ID``) rather than draw one at random.
"""

from __future__ import annotations

LIBRARY = "pypdf"
CHECKED_WITH = "7.1.1"


def installed() -> str:
    from pypdf import __version__
    return __version__


def add_object(writer, obj):
    """``obj`` added to ``writer``'s PDF; its indirect reference."""
    return writer._add_object(obj)


def set_file_identifier(writer, identifier) -> None:
    """The PDF's ``/ID``: ``identifier`` (an ``ArrayObject`` of two byte strings)."""
    writer._ID = identifier

"""What an editor must look at before printing, as diagnostics over an enriched book.

- :mod:`.check`: the stage (open questions, figures' images, notes without calls, repeated
  passages, leftovers, and the glossary's, index's and cross-references' own checks);
- :mod:`.copyedit`: the copy editor's checks (doubled words, sentences run together, quotes left open…);
- :mod:`.leftovers`: editors' questions, notes to self and placeholders, found by their kind;
- :mod:`.lexicon`: the words those are made of.
"""

from .check import check

__all__ = ["check"]

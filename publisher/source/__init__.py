"""Reading the book's files into the model, every item with its file and line.

- :mod:`.load`: ``book/`` → :class:`~publisher.model.Book` (the stage);
- :mod:`.config`: ``book.yaml`` (page, order, vocabulary, ``print:``, ``booklets:``);
- :mod:`.terms`: ``glossary.yaml`` and ``index.yaml``;
- :mod:`.markdown`: a fiche's text (Markdown, footnotes, figures, CriticMarkup) → blocks;
- :mod:`.yamlfile`: text that must be UTF-8, YAML with the line of every key;
- :mod:`.sourcelines`: the exact line of a word inside a paragraph of several lines;
- :mod:`.resources`, :mod:`.images`: what a document may read, and what a figure's image may be.
"""

from .load import load_book

__all__ = ["load_book"]

"""What a pure stage gave for the same arguments, kept from one build to the next in a warm process
(``proof --watch``, the desk): after an edit, only the edited fiche is read, typeset and checked again.

A stage is memoised on its arguments, frozen values that say all it depends on (a fiche's file and
its bytes, a fiche, the typography's settings); its result must be frozen too. What a build did not
ask for is forgotten when it is done, so the memory holds one book, not its whole history; a build
that stops on an error forgets nothing."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self.kept: dict[tuple, Any] = {}
        self.asked: dict[tuple, Any] = {}
        self.computed: list[tuple[str, tuple]] = []      # this build's stages not found: (stage, arguments)
        self.last: list[tuple[str, tuple]] = []          # those of the last build done

    def __call__(self, stage: Callable[..., T], *args) -> T:
        key = (stage.__module__, stage.__qualname__, args)
        if key not in self.asked:
            if key in self.kept:
                self.asked[key] = self.kept[key]
            else:
                self.asked[key] = stage(*args)
                self.computed.append((stage.__qualname__, args))
        return self.asked[key]

    def done(self) -> None:
        """A build went through: what it asked for is what the next may ask again."""
        self.kept, self.asked, self.last, self.computed = self.asked, {}, self.computed, []


class Once(Memo):
    """No memory: each stage computed when asked (a command that runs once)."""

    def __call__(self, stage: Callable[..., T], *args) -> T:
        return stage(*args)

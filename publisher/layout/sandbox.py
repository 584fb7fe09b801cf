"""WeasyPrint reads through :class:`SandboxFetcher`, which serves only what
:class:`publisher.source.resources.Allowed` allows: every image, stylesheet, font, ICC
profile, SVG reference or attachment a document asks for goes through it.
Imported only when a document is really rendered (WeasyPrint is slow to import)."""

from __future__ import annotations

import logging

from weasyprint.urls import URLFetcher

from ..source.resources import Allowed

log = logging.getLogger(__name__)


class SandboxFetcher(URLFetcher):
    def __init__(self, allowed: Allowed):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=5)
        self.allowed = allowed
        self.refused: list[str] = []       # this rendering's own record

    def fetch(self, url, headers=None):
        if self.allowed.allows(url):
            return super().fetch(url, headers)
        self.refused.append(url)
        log.info("ressource refusée : %s", url)
        raise ValueError(f"ressource hors du livre refusée : {url}")     # WeasyPrint leaves it out

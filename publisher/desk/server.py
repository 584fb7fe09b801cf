"""The desk's web server: uvicorn, told to let the desk go first when asked to stop."""

from __future__ import annotations

import uvicorn

from .state import Desk


class DeskServer(uvicorn.Server):
    """On Ctrl-C or SIGTERM, the desk stops before the server waits for its connections: the browsers'
    event streams, which would otherwise hold it for their next 15 s beat, end at once."""

    def __init__(self, config: uvicorn.Config, desk: Desk):
        super().__init__(config)
        self.desk = desk

    def handle_exit(self, sig, frame) -> None:
        self.desk.stop()
        super().handle_exit(sig, frame)

"""What a background job makes (:mod:`.jobs`), each a plain function run in a fresh process of its own
(``spawn``: a fork of the desk would copy the locks its threads hold mid-use, and hang), its progress
written to a small file the desk reads."""

from __future__ import annotations

from pathlib import Path


class Progress:
    """Told (pages laid out, pages in all): writes them where the desk looks (picklable)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def __call__(self, done: int, total: int) -> None:
        self.path.with_suffix(".part").write_text(f"{done} {total}", encoding="utf-8")
        self.path.with_suffix(".part").replace(self.path)

    def read(self) -> tuple[int, int] | None:
        try:
            done, total = self.path.read_text(encoding="utf-8").split()
            return int(done), int(total)
        except (OSError, ValueError):
            return None


# ``shown``: the proof the desk shows, laid out all day as edits come: its pages are the volume's (publisher/proof),
# read from its cache — a job lays out only what the proof did not.

def volume(root: Path, shown: Path, into: Path, progress: Progress) -> Path:
    from ..build import build_volume

    return build_volume(root, into / "volume.pdf", allow_open_questions=True, progress=progress, also=(shown,)).output


def epub(root: Path, shown: Path, into: Path, progress: Progress) -> Path:
    from ..build import build_epub

    return build_epub(root, into / "volume.epub", progress=progress, also=(shown,)).output


def booklet(root: Path, shown: Path, name: str, into: Path, progress: Progress) -> Path:
    from ..build import build_booklets, plan_booklets

    plan = plan_booklets(root, name, allow_open_questions=True)
    return [result.output for _, result in build_booklets(plan, into, progress=progress, also=(shown,))][0]


def proof_since(root: Path, shown: Path, last: Path, into: Path, progress: Progress) -> Path:
    from ..layout import PartCache
    from ..proof import build_proof
    from . import maps

    output = into / "epreuve-depuis.pdf"
    cache = PartCache.of(output, also=(shown,))
    done = build_proof(root, output, (), str(last), progress=progress, cache=cache)
    cache.save()
    maps.given(root, done.proof_id)
    return done.output

"""An installed copy of publisher (``pip install .``, not the checkout) finds its layouts and fonts
inside the package, and builds a book with them."""

from __future__ import annotations

import os
import subprocess
import sys

from pypdf import PdfReader

from .conftest import MINIBOOK, ROOT

USE_INSTALLED = """
import sys
from pathlib import Path
import publisher
from publisher.paths import FONTS, LAYOUTS
target = Path(sys.argv[1]).resolve()
assert Path(publisher.__file__).resolve().is_relative_to(target), publisher.__file__
assert LAYOUTS == target / "publisher" / "layouts" and FONTS == target / "publisher" / "fonts", (LAYOUTS, FONTS)
from publisher.cli import main
main(["build", sys.argv[2], "-o", sys.argv[3]])
"""


def test_an_installed_copy_builds_a_book_with_its_own_layouts_and_fonts(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True, timeout=300)
    shipped = {p.relative_to(ROOT).as_posix() for folder in ("layouts", "fonts") for p in (ROOT / folder).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    installed = {p.relative_to(target / "publisher").as_posix() for p in (target / "publisher").rglob("*")
                 if p.is_file() and p.parts[-2:][0] in ("layouts", "fonts", "desk", "epub", "site")
                 and not p.name.endswith(".py")}
    assert shipped <= installed, sorted(shipped - installed)
    # every package of the checkout, installed: the venv's editable install would lend the missing ones
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "publisher").rglob("__init__.py")}
    assert {p for p in packages if not (target / p / "__init__.py").is_file()} == set()
    out = tmp_path / "mini.pdf"
    env = {**os.environ, "PYTHONPATH": str(target), "PUBLISHER_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", USE_INSTALLED, str(target), str(MINIBOOK), str(out)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    reader = PdfReader(str(out))
    fonts = {str(f.get("/BaseFont", "")) for page in reader.pages
             for f in ((page.get("/Resources") or {}).get("/Font") or {}).values()}
    assert any("Source-Serif-4" in f for f in fonts) and any("Source-Sans-3" in f for f in fonts), fonts
    assert any("Chapeau beta." in page.extract_text() for page in reader.pages)

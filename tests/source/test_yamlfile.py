"""A YAML error is said at the line where the editor broke the text (fixture: tests/fixtures/yamlfile/errors.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.diagnostics import PublisherError
from publisher.source.yamlfile import load_mapping

CASES = [case.strip("\n") for case in
         (Path(__file__).parents[1] / "fixtures" / "yamlfile" / "errors.txt").read_text(encoding="utf-8").split("===\n")[1:]]


@pytest.mark.parametrize("case", CASES, ids=[f"case-{k + 1}" for k in range(len(CASES))])
def test_the_error_is_named_at_the_line_the_editor_broke(case):
    head, text = case.split("\n", 1)
    expected = int(head.removeprefix("line: "))
    with pytest.raises(PublisherError) as raised:
        load_mapping(text + "\n", "f.yaml")
    assert raised.value.diagnostics[0].code == "yaml-syntax"
    assert raised.value.diagnostics[0].location.line == expected, raised.value.diagnostics[0].format()

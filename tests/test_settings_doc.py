"""docs/operations.md lists every setting exactly as appconfig.spec declares it."""

from __future__ import annotations

import re
from pathlib import Path

import appconfig
from appconfig.spec import OPTIONS

DOC = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def test_the_operations_guide_should_list_every_setting_as_declared():
    text = DOC.read_text(encoding="utf-8")
    table = re.search(r"<!-- settings table: begin -->\n(.*?)<!-- settings table: end -->", text,
                      re.S)
    assert table, "docs/operations.md has lost its settings table"
    assert table.group(1) == appconfig.markdown_table()
    assert {f"`{option.name}`" for option in OPTIONS} <= set(re.findall(r"`[\w.]+`", table.group(1)))


def test_every_setting_should_have_a_description_and_a_default_of_its_type():
    for option in OPTIONS:
        assert option.description, option.name
        assert option.files and set(option.files) <= set(appconfig.FILES), option.name
        assert isinstance(option.default, option.type), option.name

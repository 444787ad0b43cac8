"""A label too long for its button is cut at its end with "…", never at both ends."""

from __future__ import annotations

from kiosk.ui.widgets import button


def test_a_long_label_should_keep_its_start_and_end_in_an_ellipsis(qtbot):
    # Qt centres such a label and cuts both ends: "Đồng Tháp" showed as "ồng Thá".
    wide = button("Đồng bằng sông Cửu Long")
    qtbot.addWidget(wide)
    wide.resize(wide.fontMetrics().horizontalAdvance(wide.text()) + 40, 60)
    assert wide.shown_lines() == ["Đồng bằng sông Cửu Long"]

    narrow = button("Đồng bằng sông Cửu Long")
    qtbot.addWidget(narrow)
    narrow.resize(narrow.fontMetrics().horizontalAdvance("Đồng bằng") + 20, 60)
    [line] = narrow.shown_lines()
    assert line.startswith("Đồng") and line.endswith("…") and len(line) < len(narrow.text())
    assert narrow.text() == narrow.accessibleName() == "Đồng bằng sông Cửu Long"
    narrow.show()
    qtbot.waitExposed(narrow)
    assert not narrow.grab().isNull()             # the cut label paints


def test_each_line_of_a_two_line_label_is_cut_on_its_own(qtbot):
    choice = button("000  Computer science, information and general works\n56 titles")
    qtbot.addWidget(choice)
    choice.resize(choice.fontMetrics().horizontalAdvance("000  Computer science") + 20, 80)
    first, second = choice.shown_lines()
    assert first.startswith("000  Computer") and first.endswith("…")
    assert second == "56 titles"

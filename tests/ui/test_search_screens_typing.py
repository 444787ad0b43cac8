"""The kiosk and counter search screens: Telex typed without an input method, "did you mean"."""

from __future__ import annotations

from ui_helpers import click, visible_texts


def typed(qtbot, shell, text):
    shell.go("search")
    search = shell.screens["search"]
    search.query.setText(text)
    return search


def test_telex_keys_on_a_plain_keyboard_find_the_title_and_say_how_they_were_read(
        qtbot, make_runtime, stock):
    shell = make_runtime().shell
    search = typed(qtbot, shell, "dees menf")
    qtbot.waitUntil(lambda: [r.title.text() for r in search.results.rows] == ["Dế Mèn phiêu lưu ký"],
                    timeout=3000)
    assert search.status.text() == "1 kết quả cho “dế mèn”"
    assert not search.suggestion.isVisible()


def test_a_misspelt_query_offers_the_nearest_catalogue_words_one_touch_away(
        qtbot, make_runtime, stock):
    shell = make_runtime().shell
    search = typed(qtbot, shell, "ky thaut trong")
    qtbot.waitUntil(lambda: search.suggestion.isVisible(), timeout=3000)
    assert search.status.text() == "Không tìm thấy sách nào cho “ky thaut trong”."
    assert search.suggestion.text() == "Có phải bạn muốn tìm: ky thuật trong"
    assert "Có phải bạn muốn tìm: ky thuật trong" in visible_texts(shell)
    click(qtbot, search.suggestion)
    qtbot.waitUntil(lambda: [r.title.text() for r in search.results.rows] == ["Kỹ thuật trồng lúa"],
                    timeout=3000)
    assert search.query.text() == "ky thuật trong"
    assert not search.suggestion.isVisible()


def test_the_counter_search_tab_lists_hits_and_offers_a_suggestion(qtbot, make_runtime, stock):
    from kiosk.ui.staff.search import CatalogueSearchScreen

    runtime = make_runtime()
    screen = CatalogueSearchScreen(runtime.shell.ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.query.setText("de mne")
    screen.search()
    qtbot.waitUntil(lambda: screen.suggestion.isVisible(), timeout=3000)
    assert screen.suggestion.text() == "Có phải bạn muốn tìm: de mèn"
    assert screen.table.rowCount() == 0
    click(qtbot, screen.suggestion)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=3000)
    assert [screen.table.item(0, c).text() for c in range(6)] == [
        "Dế Mèn phiêu lưu ký", "Tô Hoài", "2020", "895.9223", "1", "2"]
    assert screen.message.text() == "1 kết quả"


def test_the_counter_says_how_many_match_beyond_the_rows_it_lists(qtbot, make_runtime, stock):
    """The table holds the first 50; the message counts every match (counted after the
    rows are shown), not the rows."""
    from kiosk.ui.staff.search import LIMIT, CatalogueSearchScreen

    runtime = make_runtime()
    lib = runtime.shell.ctx.library
    for n in range(LIMIT + 7):
        lib.catalogue.add_record({"title": f"Sổ tay nuôi lươn tập {n + 1}",
                                  "authors": ["Trạm khuyến nông"]})
    screen = CatalogueSearchScreen(runtime.shell.ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.query.setText("so tay nuoi luon")
    screen.search()
    qtbot.waitUntil(lambda: screen.message.text().startswith(f"{LIMIT + 7} "), timeout=5000)
    assert screen.table.rowCount() == LIMIT
    assert screen.message.text() == f"{LIMIT + 7} kết quả (hiện {LIMIT} đầu tiên)"

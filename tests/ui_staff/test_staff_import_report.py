"""The counter's import screen shows the whole report and exports the rejected rows,
to a USB stick or the downloads folder only."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from kiosk.io.destinations import Destination
from kiosk.ui.staff.importing import ExportRejectedDialog, ImportScreen

HEADER = "title;authors;year;notes;barcode"


def _csv(path, bad: bool = True) -> None:
    lines = [f"Sổ tay nuôi cá tra tập {i};Trần Văn Hai;{2010 + i};;CT{i:03d}" for i in range(8)]
    if bad:
        lines[2] = lines[2].replace("2012", "hai nghìn")
        lines[5] = '"' + lines[5]
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-16"))


def _screen(qtbot, ctx, tmp_path):
    usb, downloads = tmp_path / "KINGSTON", tmp_path / "Downloads"
    usb.mkdir()
    downloads.mkdir()
    places = [Destination("usb", "KINGSTON", usb), Destination("downloads", "Downloads",
                                                                downloads)]
    screen = ImportScreen(ctx, destinations=lambda: places)
    qtbot.addWidget(screen)
    return screen, usb, downloads


def test_the_report_and_the_export_of_rejected_rows(qtbot, ctx, lib, tmp_path, idle, shoot,
                                                   monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (_ for _ in ()).throw(
        AssertionError("staff must not browse the file system")))
    path = tmp_path / "ca tra.csv"
    _csv(path)
    screen, usb, downloads = _screen(qtbot, ctx, tmp_path)
    assert not screen.export_button.isEnabled()

    screen.start_import(path)
    idle(15000)

    summary = screen.summary.text()
    assert "Tệp có 8 dòng: đã nhập 6, bị từ chối 2" in summary
    assert "Mã ký tự: UTF-16 (có BOM)" in summary
    details = screen.details.toPlainText().splitlines()
    assert details[0].startswith("Dòng 4: năm xuất bản 'hai nghìn'")
    assert details[1].startswith("Dòng 7: dấu ngoặc kép mở ở cột title")
    assert "2 dòng bị từ chối" in screen.message.text()
    assert screen.export_button.isEnabled()
    assert lib.catalogue.count() == 6
    shoot(screen, "import_rejected_rows")

    screen.export_button.click()
    dialog = screen.export_dialog
    assert isinstance(dialog, ExportRejectedDialog)
    labels = [dialog.places.item(i).text() for i in range(dialog.places.count())]
    assert labels == ["USB «KINGSTON»", "Thư mục Tải về"]
    assert dialog.name.text() == "ca tra-bi-tu-choi.csv"
    dialog.places.setCurrentRow(0)
    dialog.accept()
    idle()

    out = usb / "ca tra-bi-tu-choi.csv"
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == HEADER
    assert text[1].startswith("Sổ tay nuôi cá tra tập 2;Trần Văn Hai;hai nghìn")
    assert text[2].startswith('"Sổ tay nuôi cá tra tập 5')
    assert f"Đã ghi 2 dòng bị từ chối ra {out}" in screen.message.text()
    assert list(downloads.iterdir()) == []

    fixed = out.read_text(encoding="utf-8-sig").replace("hai nghìn", "2012").replace('"Sổ', "Sổ")
    out.write_text(fixed, encoding="utf-8-sig")
    screen.start_import(out)
    idle(15000)
    assert "Tệp có 2 dòng: đã nhập 2, bị từ chối 0" in screen.summary.text()
    assert lib.catalogue.count() == 8
    assert not screen.export_button.isEnabled()


def test_the_export_dialog_refuses_a_path_for_a_name(qtbot, tmp_path):
    dialog = ExportRejectedDialog([Destination("downloads", "Downloads", tmp_path)], "a.csv")
    qtbot.addWidget(dialog)
    for bad in ("../../etc/passwd", "", "thư mục/tệp.csv"):
        dialog.name.setText(bad)
        assert dialog.chosen_path() is None
        assert "Tên tệp không được" in dialog.problem.text()
    dialog.name.setText("sửa lại.csv")
    assert dialog.chosen_path() == tmp_path / "sửa lại.csv"


def test_without_a_usb_stick_the_downloads_folder_is_offered(qtbot, tmp_path):
    dialog = ExportRejectedDialog([], "a.csv")
    qtbot.addWidget(dialog)
    assert dialog.chosen_path() is None
    assert "cắm USB" in dialog.problem.text()


def _no_file_browser(monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (_ for _ in ()).throw(
        AssertionError("staff must not browse the file system")))


def _listed(dialog) -> tuple[list[str], list[str]]:
    return ([dialog.places.item(i).text() for i in range(dialog.places.count())],
            [dialog.file_list.item(i).text() for i in range(dialog.file_list.count())])


def test_the_import_opens_a_file_from_the_usb_stick_or_downloads_only(qtbot, ctx, lib, tmp_path,
                                                                      idle, monkeypatch):
    _no_file_browser(monkeypatch)
    screen, usb, downloads = _screen(qtbot, ctx, tmp_path)
    (usb / "Sách mới").mkdir()
    _csv(usb / "Sách mới" / "ca tra.csv", bad=False)
    (usb / "ghi chú.txt").write_text("không phải biên mục")
    (usb / ".an.csv").write_text("title\nẩn\n")
    (downloads / "moi.mrc").write_bytes(b"")

    screen.choose_button.click()
    dialog = screen.import_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Chọn tệp biên mục"
    assert _listed(dialog) == (["USB «KINGSTON»", "Thư mục Tải về"], ["Sách mới/ca tra.csv"])
    assert not dialog.notice.isVisible()
    dialog.places.setCurrentRow(1)
    assert _listed(dialog)[1] == ["moi.mrc"]
    dialog.places.setCurrentRow(0)
    dialog.ok_button.click()
    idle(15000)
    assert not dialog.isVisible()
    assert screen.path_label.text() == "ca tra.csv"
    assert "Tệp có 8 dòng: đã nhập 8, bị từ chối 0" in screen.summary.text()
    assert lib.catalogue.count() == 8


def test_without_a_usb_stick_the_import_dialog_says_to_plug_one_in(qtbot, ctx, tmp_path,
                                                                   monkeypatch):
    _no_file_browser(monkeypatch)
    downloads, usb = tmp_path / "Downloads", tmp_path / "USB16G"
    downloads.mkdir()
    places = [Destination("downloads", "Downloads", downloads)]
    screen = ImportScreen(ctx, destinations=lambda: places)
    qtbot.addWidget(screen)
    screen.choose()
    dialog = screen.import_dialog
    assert _listed(dialog) == (["Thư mục Tải về"], [])
    assert dialog.notice.isVisible() and "Chưa cắm USB" in dialog.notice.text()
    assert "không có tệp" in dialog.problem.text()
    assert not dialog.ok_button.isEnabled()

    usb.mkdir()
    _csv(usb / "sach.csv", bad=False)
    places.insert(0, Destination("usb", "USB16G", usb))
    dialog.refresh()
    assert _listed(dialog) == (["USB «USB16G»", "Thư mục Tải về"], ["sach.csv"])
    assert not dialog.notice.isVisible() and dialog.ok_button.isEnabled()


def test_a_link_on_the_stick_never_opens_a_file_of_the_device(qtbot, ctx, lib, tmp_path, idle,
                                                              monkeypatch):
    _no_file_browser(monkeypatch)
    screen, usb, _downloads = _screen(qtbot, ctx, tmp_path)
    device = tmp_path / "device"
    device.mkdir()
    _csv(device / "patrons.csv", bad=False)
    (usb / "ban doc.csv").symlink_to(device / "patrons.csv")
    (usb / "thu muc").symlink_to(device, target_is_directory=True)
    _csv(usb / "sach.csv", bad=False)
    (usb / "xoa\x1b[2J.csv").write_text("title\nx\n")

    screen.choose()
    dialog = screen.import_dialog
    assert _listed(dialog)[1] == ["sach.csv", "xoa?[2J.csv"]
    (usb / "sach.csv").unlink()                       # the stick changed after the listing
    (usb / "sach.csv").symlink_to(device / "patrons.csv")
    dialog.ok_button.click()
    assert dialog.isVisible() and "liên kết" in dialog.problem.text()
    idle()
    assert screen.source is None and lib.catalogue.count() == 0

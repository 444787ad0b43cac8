"""Vietnamese typing in a real window, with IBus started the way kiosk-ui.service starts it.

A private session bus, an X server (Xvfb) and Qt's xcb platform; ``kiosk.appliance.input_method``
starts the real ibus-daemon with the real Unikey engine and then execs the window (on the
device it execs cage): a bare field (WINDOW) or the counter's own window (COUNTER: the
product's window, staff area and forms). Keys come from xdotool through the X server, so they
reach Qt's IBus plugin as a keyboard's do: QTest's key clicks on a widget would go around the
input method.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.appliance import input_method

REPO = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "xdotool", "dbus-daemon", "ibus-daemon", "ibus")

WINDOW = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit

app = QApplication(sys.argv)
field = QLineEdit()
preedits, stamps = [], []


def gap_ms():
    # The longest wait between two keys the window received from the X server since the last
    # report, by the keys' own stamps: more than the scan window means xdotool was late.
    gaps = [later - earlier for earlier, later in zip(stamps, stamps[1:])]
    stamps.clear()
    return max(gaps, default=0)


def scanned(code):
    print(json.dumps({"scanned": code, "gap_ms": gap_ms()}), flush=True)
    field.clear()


class Keys(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.InputMethod and event.preeditString():
            preedits.append(event.preeditString())
        elif event.type() == QEvent.Type.KeyPress and event.spontaneous() and \
                (not stamps or event.timestamp() != stamps[-1]):
            stamps.append(event.timestamp())
        return False


keys = Keys()
field.installEventFilter(keys)
if "wedge" in sys.argv:
    # The window's own keyboard-wedge scan detector, as kiosk.ui.app installs it; the key
    # stamps are read before it (an application's filters run last installed first).
    from hardware.scanners.qt_filter import WedgeScanFilter
    wedge = WedgeScanFilter()
    app.installEventFilter(wedge)
    wedge.scanned.connect(scanned)
    app.installEventFilter(keys)


def finish():
    print(json.dumps({"text": field.text(), "preedits": preedits, "gap_ms": gap_ms()}),
          flush=True)
    field.clear()
    preedits.clear()


def announce():
    if field.hasFocus() and QGuiApplication.focusWindow() is not None:
        print("ready", flush=True)
    else:
        QTimer.singleShot(50, announce)


field.returnPressed.connect(finish)
field.resize(480, 40)
field.show()
field.activateWindow()
field.setFocus()
QTimer.singleShot(0, announce)
QTimer.singleShot(60000, lambda: app.exit(3))
sys.exit(app.exec())
"""

# The counter's window as kiosk run builds it (kiosk.ui.app.build_runtime, which installs the
# input gate), unlocked with the staff PIN. Commands on stdin: "field name" focuses the new
# patron's name (a field for Vietnamese words), "field card" the circulation screen's card
# number (a field for codes); "click telex|vni|off" clicks the "Kiểu gõ" switch.
COUNTER = r"""
import json, queue, sys, tempfile, threading
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from kiosk.app import open_library
from kiosk.core import staff
from kiosk.core.node import init_library
from kiosk.ui.app import application, build_runtime
from kiosk.ui.staff.circulation import CirculationScreen
from kiosk.ui.staff.patrons import PatronsScreen

PIN = "482913"
app = application()
library = open_library(Path(tempfile.mkdtemp()) / "counter.db")
init_library(library, "TN-PHUTHO", "Thư viện xã Phú Thọ", commune="Phú Thọ")
staff.set_pin(library.store, staff.STAFF, PIN)
runtime = build_runtime(library, mode="staff", settings={"staff_typing": "telex"},
                        environ={}, show=True)
area = runtime.shell.screens["staff"]
commands = queue.Queue()
threading.Thread(target=lambda: [commands.put(line.split()) for line in sys.stdin],
                 daemon=True).start()


class Watch(QObject):
    # What the field shows when Enter reaches it, and the pre-edit texts IBus showed there.
    def __init__(self, field):
        super().__init__(field)
        self.field, self.preedits = field, []
        field.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.InputMethod and event.preeditString():
            self.preedits.append(event.preeditString())
        elif event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Return:
            print(json.dumps({"text": self.field.text(), "preedits": self.preedits}),
                  flush=True)
            self.preedits = []
        return False


def screen(kind):
    tabs = area.tabs
    page = next(tabs.widget(i) for i in range(tabs.count()) if isinstance(tabs.widget(i), kind))
    tabs.setCurrentWidget(page)
    return page


watched = {}


def announce(field):
    if field.hasFocus() and QGuiApplication.focusWindow() is not None:
        print("ready", flush=True)
    else:
        QTimer.singleShot(50, lambda: announce(field))


def handle(command):
    if command[0] == "field":
        screen(PatronsScreen if command[1] == "name" else CirculationScreen)
        field = watched[command[1]].field
        field.clear()
        field.window().activateWindow()
        field.setFocus()
        announce(field)
    elif command[0] == "click":
        area.tabs.cornerWidget().buttons[command[1]].click()


def poll():
    while not commands.empty():
        handle(commands.get())


def start():
    if not area.unlocked:
        QTimer.singleShot(50, start)
        return
    patrons = screen(PatronsScreen)
    patrons.new_button.click()
    watched["name"] = Watch(patrons.form.name)
    watched["card"] = Watch(screen(CirculationScreen).card)
    timer.start(20)
    handle(["field", "card"])


timer = QTimer()
timer.timeout.connect(poll)
runtime.shell.go("staff")
area.gate.pin.setText(PIN)
area.gate.submit()
QTimer.singleShot(0, start)
QTimer.singleShot(120000, lambda: app.exit(3))
code = app.exec()
runtime.shutdown()
sys.exit(code)
"""


@pytest.fixture(scope="module")
def session_bus():
    for tool in TOOLS:
        assert shutil.which(tool), f"{tool} is missing: ./dev.sh installs it (APT_PACKAGES)"
    done = subprocess.run(["dbus-daemon", "--session", "--fork", "--nopidfile",
                           "--print-address=1", "--print-pid=1"],
                          capture_output=True, text=True, timeout=30, check=True)
    address, pid = done.stdout.split()[:2]
    yield address
    os.kill(int(pid), signal.SIGTERM)


def _free_display() -> int:
    for number in range(140, 200):
        if not os.path.exists(f"/tmp/.X11-unix/X{number}") and \
                not os.path.exists(f"/tmp/.X{number}-lock"):
            return number
    raise AssertionError("no free X display number")


@pytest.fixture(scope="module")
def display():
    number = _free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1024x600x24",
                             "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(f"/tmp/.X11-unix/X{number}"):
            assert xvfb.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def _session(tmp_path: Path, display: str, bus: str, path: str | None = None) -> dict[str, str]:
    """The environment of a login session: its own runtime folder and home, nothing inherited
    that could point at another IBus."""
    runtime, home = tmp_path / "run", tmp_path / "home"
    runtime.mkdir(mode=0o700, exist_ok=True)
    home.mkdir(exist_ok=True)
    return {"PATH": path or os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(runtime), "DISPLAY": display,
            "DBUS_SESSION_BUS_ADDRESS": bus, "QT_QPA_PLATFORM": "xcb"}


def _daemon_pid(env: dict[str, str]) -> int | None:
    found = input_method.read_address(
        input_method.Layout(Path(env["XDG_RUNTIME_DIR"]) / "kiosk-ibus").address_file)
    return found[1] if found else None


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


class Window:
    """``python -m kiosk.appliance.input_method ... -- python window.py``, read line by line."""

    def __init__(self, tmp_path: Path, env: dict[str, str], *options: str,
                 field: str = "text", source: str = WINDOW):
        script = tmp_path / "window.py"
        script.write_text(source)
        self.env = env
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.appliance.input_method", *options, "--",
             sys.executable, str(script), field],
            env=env, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.errors.append),
                         daemon=True).start()

    @staticmethod
    def _pump(stream, put) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def line(self, seconds: float) -> str:
        try:
            return self.lines.get(timeout=seconds)
        except queue.Empty:
            raise AssertionError(f"the window said nothing for {seconds:.0f} s; stderr:\n"
                                 + "\n".join(self.errors)) from None

    def ready(self) -> "Window":
        assert self.line(60) == "ready", "\n".join(self.errors)
        return self

    def send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def focus(self, field: str) -> "Window":
        self.send(f"field {field}")
        return self.ready()

    def engine(self) -> str:
        """What ``ibus engine`` says of this window's IBus."""
        layout = input_method.Layout(Path(self.env["XDG_RUNTIME_DIR"]) / "kiosk-ibus")
        env = {key: value for key, value in input_method.daemon_environment(
            self.env, layout).items() if key != "DISPLAY"}
        return subprocess.run(["ibus", "engine"], env=env, capture_output=True, text=True,
                              timeout=30).stdout.strip()

    def wait_for_engine(self, engine: str, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while (current := self.engine()) != engine:
            assert time.monotonic() < deadline, f"IBus still runs {current!r}:\n" + \
                "\n".join(self.errors)
            time.sleep(0.1)

    def type(self, text: str, delay_ms: int = 40) -> None:
        xdotool = {"DISPLAY": self.env["DISPLAY"], "PATH": self.env["PATH"]}
        subprocess.run(["xdotool", "type", "--delay", str(delay_ms), text], env=xdotool,
                       check=True, timeout=60)
        subprocess.run(["xdotool", "key", "Return"], env=xdotool, check=True, timeout=30)

    def scan(self, code: str) -> None:
        """Keys 8 ms apart and Enter, in one go, as a keyboard-wedge scanner sends them."""
        keys = [{"-": "minus"}.get(char, char) for char in code]
        subprocess.run(["xdotool", "key", "--delay", "8", *keys, "Return"],
                       env={"DISPLAY": self.env["DISPLAY"], "PATH": self.env["PATH"]},
                       check=True, timeout=60)

    def result(self) -> dict:
        return json.loads(self.line(30))

    def close(self) -> None:
        daemon = _daemon_pid(self.env)
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if daemon is not None and not _gone(daemon):
            os.kill(daemon, signal.SIGKILL)


@pytest.fixture
def window(tmp_path, display, session_bus):
    opened: list[Window] = []

    def open_window(*options: str, field: str = "text", source: str = WINDOW) -> Window:
        opened.append(Window(tmp_path, _session(tmp_path, display, session_bus), *options,
                             field=field, source=source))
        return opened[-1].ready()

    yield open_window
    for each in opened:
        each.close()


def test_telex_typed_on_a_keyboard_should_become_a_vietnamese_name_in_the_field(window):
    typed = window("--method", "telex")
    typed.type("Nguyeenx Vawn Dduwcs")
    shown = typed.result()
    assert shown["text"] == "Nguyễn Văn Đức", "\n".join(typed.errors)
    # While typing, the word being composed is shown in the field (underlined) as it will be.
    assert "Nguyễn" in shown["preedits"]
    assert any("IBus ready with Unikey (telex)" in line for line in typed.errors)


def test_vni_chosen_at_start_should_type_the_same_name_with_digits(window):
    typed = window("--method", "vni")
    typed.type("Nguye6n4 Va8n D9u7c1")
    assert typed.result()["text"] == "Nguyễn Văn Đức", "\n".join(typed.errors)


def test_the_switch_should_refuse_an_ibus_it_did_not_start(tmp_path):
    foreign = tmp_path / "ibus" / "bus" / "0123-unix-0"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("IBUS_ADDRESS=unix:path=/tmp/elsewhere\nIBUS_DAEMON_PID=1\n")
    env = {"PATH": os.environ["PATH"], "IBUS_ADDRESS_FILE": str(foreign)}
    with pytest.raises(input_method.InputMethodError):
        input_method.switch("vni", env)
    with pytest.raises(ValueError):
        input_method.switch("telex'\n[x]", env)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["0123-unix-0", "bus", "ibus"]


def test_a_kiosk_should_start_with_keys_as_typed_so_its_scan_detector_sees_a_wedge_scan(
        window):
    # With Telex on, this scan went into the focused field as "TN-BẢIA000001" and the
    # detector never saw it (measured); a kiosk starts "off" (start_method).
    kiosk = window("--method", "off", field="wedge")
    for _ in range(3):
        kiosk.scan("TN-BARIA000001")
        seen = kiosk.result()
        # Keys further apart than the scan window (20 ms) are typing, whatever sent them: on a
        # busy machine xdotool's 8 ms steps sometimes are; then it scans again.
        if seen.get("scanned") == "TN-BARIA000001" or seen["gap_ms"] <= 20:
            break
    assert seen.get("scanned") == "TN-BARIA000001", (seen, kiosk.errors)
    assert any("IBus ready with xkb:us::eng (off)" in line for line in kiosk.errors)
    # Its staff area can still turn Telex on.
    input_method.switch("telex", {**kiosk.env, "IBUS_ADDRESS_FILE": str(
        input_method.Layout(Path(kiosk.env["XDG_RUNTIME_DIR"]) / "kiosk-ibus").address_file)})
    kiosk.type("Vawn")
    assert kiosk.result()["text"] == "Văn"


def test_auto_should_mean_the_devices_typing_on_a_counter_and_keys_as_typed_on_a_kiosk(
        tmp_path):
    marker = tmp_path / "role-counter"
    assert input_method.start_method(marker, "vni") == "off"
    marker.write_text("counter\n")
    assert input_method.start_method(marker) == "telex"
    # The staff area's switch starts at staff_typing: IBus starts the same way.
    config = tmp_path / "kiosk.toml"
    config.write_text('staff_typing = "vni"\n')
    env = {"KIOSK_CONFIG": str(config)}
    assert input_method.start_method(marker, input_method.device_typing(env)) == "vni"
    assert input_method.device_typing({**env, "KIOSK_STAFF_TYPING": "off"}) == "off"
    # Settings the window would refuse start Telex; the window says what is wrong.
    config.write_text('staff_typing = "unikey"\n')
    assert input_method.device_typing(env) == "telex"


def test_at_a_counter_with_telex_a_scan_should_arrive_as_typed_and_a_name_should_compose(
        window):
    # Telex would make "WX-2031-AS" "Ữ-2031-Á" (measured): the window's input gate keeps
    # IBus out of the card field, and the scanner's 8 ms keys pass unchanged.
    counter = window("--method", "telex", source=COUNTER)
    assert counter.engine() == input_method.ENGINE
    counter.scan("WX-2031-AS")
    assert counter.result() == {"text": "WX-2031-AS", "preedits": []}, \
        "\n".join(counter.errors)
    # The new patron's name takes Unikey: IBus composes (the pre-edit shows "Nguyễn"), and
    # the app's own Telex neither composes nor restores the word a second time.
    counter.focus("name").type("Nguyeenx Vawn Dduwcs")
    shown = counter.result()
    assert shown["text"] == "Nguyễn Văn Đức", "\n".join(counter.errors)
    assert "Nguyễn" in shown["preedits"]
    counter.type(" class")
    assert counter.result()["text"] == "Nguyễn Văn Đức class"
    counter.focus("card").scan("TN-BARIA000001")
    assert counter.result() == {"text": "TN-BARIA000001", "preedits": []}


def test_the_typing_switch_in_the_staff_area_should_turn_the_windows_ibus(window):
    counter = window("--method", "telex", source=COUNTER)
    counter.send("click off")
    counter.wait_for_engine(input_method.PLAIN_ENGINE)
    counter.focus("name").type("Vawn")
    assert counter.result() == {"text": "Vawn", "preedits": []}, "\n".join(counter.errors)
    counter.send("click vni")
    counter.wait_for_engine(input_method.ENGINE)
    counter.focus("name").type("Nguye6n4 Va8n")
    shown = counter.result()
    # Unikey's VNI composed it (the pre-edit shows it), not the app's fallback.
    assert shown["text"] == "Nguyễn Văn" and "Văn" in shown["preedits"], \
        "\n".join(counter.errors)


def test_ibus_should_not_outlive_the_window(window):
    typed = window()
    daemon = _daemon_pid(typed.env)
    assert daemon is not None and not _gone(daemon)
    # The window is the daemon's parent: input_method replaced itself with it (cage, on the card).
    assert int(Path(f"/proc/{daemon}/stat").read_text().rsplit(")", 1)[1].split()[1]) == \
        typed.proc.pid
    typed.proc.terminate()
    typed.proc.wait(15)
    deadline = time.monotonic() + 15
    while not _gone(daemon):
        assert time.monotonic() < deadline, "ibus-daemon kept running after the window ended"
        time.sleep(0.1)


def test_the_daemon_should_never_get_systemds_notify_socket(tmp_path, display, session_bus):
    env = {**_session(tmp_path, display, session_bus), "NOTIFY_SOCKET": str(tmp_path / "notify"),
           "WATCHDOG_USEC": "30000000"}
    show = ("import os, sys\n"
            "from kiosk.appliance import input_method as im\n"
            "from pathlib import Path\n"
            "layout = im.Layout(Path(os.environ['XDG_RUNTIME_DIR']) / 'kiosk-ibus')\n"
            "pid = im.read_address(layout.address_file)[1]\n"
            "daemon = dict(v.split('=', 1) for v in\n"
            "    Path(f'/proc/{pid}/environ').read_bytes().decode().split('\\0') if '=' in v)\n"
            "print(os.environ['NOTIFY_SOCKET'], os.environ['QT_IM_MODULE'],\n"
            "      'NOTIFY_SOCKET' in daemon, 'WATCHDOG_USEC' in daemon)\n")
    done = subprocess.run([sys.executable, "-m", "kiosk.appliance.input_method", "--",
                           sys.executable, "-c", show], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(tmp_path / "notify"), "ibus", "False", "False"]


def _window_env_of(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


PRINT_ENV = "import json, os; print(json.dumps(dict(os.environ)))"


def test_without_ibus_installed_the_window_should_still_start_with_plain_keys(
        tmp_path, display, session_bus):
    bare = tmp_path / "bin"
    bare.mkdir()
    env = {**_session(tmp_path, display, session_bus, path=str(bare)), "QT_IM_MODULE": "ibus"}
    done = subprocess.run([sys.executable, "-m", "kiosk.appliance.input_method", "--",
                           sys.executable, "-c", PRINT_ENV], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert "QT_IM_MODULE" in _window_env_of(done)  # untouched: nothing was started
    assert "IBus is not installed" in done.stderr


def test_an_ibus_that_dies_at_start_should_not_keep_the_window_down(
        tmp_path, display, session_bus):
    bare = tmp_path / "bin"
    bare.mkdir()
    for name, body in (("ibus-daemon", "echo 'cannot open display' >&2; exit 1"),
                       ("ibus", "exit 1")):
        (bare / name).write_text(f"#!/bin/sh\n{body}\n")
        (bare / name).chmod(0o755)
    env = _session(tmp_path, display, session_bus, path=f"{bare}:/usr/bin:/bin")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kiosk.appliance.input_method", "--",
                           sys.executable, "-c", PRINT_ENV], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    window_env = _window_env_of(done)
    assert "QT_IM_MODULE" not in window_env and "IBUS_ADDRESS_FILE" not in window_env
    assert "ibus-daemon exited with status 1" in done.stderr
    # It did not wait out the whole start timeout for a daemon that was already gone.
    assert time.monotonic() - started < input_method.START_SECONDS


@pytest.mark.parametrize("args, complaint", [
    (["--method", "telex;rm", "--", "true"], "invalid choice"),
    (["--method", "vni"], "goes after --"),
    (["--timeout", "-1", "--", "true"], "--timeout"),
])
def test_bad_arguments_should_be_refused_before_anything_starts(tmp_path, args, complaint):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {"PATH": os.environ["PATH"], "XDG_RUNTIME_DIR": str(runtime)}
    done = subprocess.run([sys.executable, "-m", "kiosk.appliance.input_method", *args],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and complaint in done.stderr, done.stderr
    assert list(runtime.iterdir()) == []


def test_the_address_file_counts_only_once_it_names_the_bus_and_the_daemon(tmp_path):
    path = tmp_path / "bus-address"
    assert input_method.read_address(path) is None
    path.write_text("# This file is created by ibus-daemon, please do not modify it.\n"
                    "IBUS_ADDRESS=unix:path=/run/user/900/kiosk-ibus/bus,guid=5c1e\n")
    assert input_method.read_address(path) is None
    path.write_text(path.read_text() + "IBUS_DAEMON_PID=4242\n")
    assert input_method.read_address(path) == ("unix:path=/run/user/900/kiosk-ibus/bus,guid=5c1e",
                                               4242)


def test_a_previous_runs_files_should_be_cleared_and_only_known_methods_written(tmp_path):
    layout = input_method.Layout(tmp_path / "kiosk-ibus")
    layout.folder.mkdir()
    layout.address_file.write_text("IBUS_ADDRESS=unix:path=/stale\nIBUS_DAEMON_PID=1\n")
    input_method.prepare(layout, "vni")
    assert not layout.address_file.exists()
    assert layout.keyfile.read_text() == \
        "[org/freedesktop/ibus/engine/unikey]\ninput-method='vni'\n"
    assert layout.folder.stat().st_mode & 0o777 == 0o700
    with pytest.raises(ValueError):
        input_method.prepare(layout, "vni'\n[org/evil]\nx='1")
    assert layout.keyfile.read_text().endswith("input-method='vni'\n")

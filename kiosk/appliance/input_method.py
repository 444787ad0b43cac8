"""Vietnamese typing in the kiosk window: IBus with the Unikey engine (Telex, VNI).

``kiosk-ui.service`` runs this between the notify relay and cage::

    python -m kiosk.appliance.input_method [--method auto|telex|vni|off] -- /usr/bin/cage ...

It starts ``ibus-daemon`` in the window's login session, waits until the daemon has written
its bus address, selects the engine (Unikey with the device's ``staff_typing`` on a counter,
IBus's plain keyboard on a kiosk, see :func:`start_method`; ``--method`` chooses), then
replaces itself with the command. The command's environment has ``QT_IM_MODULE=ibus`` (the PySide6 wheels carry Qt's IBus plugin)
and ``IBUS_ADDRESS_FILE``: both libibus and Qt's plugin read the bus address there, where
their default path would depend on ``WAYLAND_DISPLAY``, which only cage's own child knows.

Everything IBus writes (address file, socket, registry cache, the engine's settings through
GSettings' keyfile backend) goes to one folder in ``$XDG_RUNTIME_DIR``: the root is read-only,
the data partition keeps library data only, and every start begins with the same settings.
No IBus panel and no emoji picker: both are GTK windows, and under cage any new window takes
the whole screen. ``NOTIFY_SOCKET`` is kept from the daemon, so only the window can tell
systemd it is ready. The daemon gets SIGTERM when the process that started it ends (cage,
after the exec), so a restarted window never meets a stale daemon.

Lending matters more than typing: when IBus is missing or does not come up in time, the
command runs without it and the journal says why. The window lets the input method into its
fields for Vietnamese words only (:mod:`kiosk.ui.input_gate`), and its staff area's switch
calls :func:`switch`. IBus sees physical keys only; the patron screens' on-screen keyboard
inserts its text itself.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ENGINE = "Unikey"
# ibus-unikey's GSettings schema (org.freedesktop.ibus.engine.unikey) names its methods so.
METHODS = ("telex", "vni")
DEFAULT_METHOD = "telex"
# "off": IBus's plain US keyboard engine, keys arrive as typed.
SWITCHES = (*METHODS, "off")
PLAIN_ENGINE = "xkb:us::eng"
# At start, "auto": what start_method chooses (staff_typing on a counter, off on a kiosk).
STARTS = (*SWITCHES, "auto")
START_SECONDS = 20.0
FOLDER_NAME = "kiosk-ibus"
_PR_SET_PDEATHSIG = 1
_UNIKEY_GROUP = "org/freedesktop/ibus/engine/unikey"
# The window's alone: systemd's notification socket and watchdog, and Qt's input method.
_NOT_FOR_THE_DAEMON = ("NOTIFY_SOCKET", "WATCHDOG_PID", "WATCHDOG_USEC", "QT_IM_MODULE")


class InputMethodError(RuntimeError):
    """IBus could not be made ready; the window then runs without it."""


@dataclass(frozen=True)
class Layout:
    """Where this session's IBus keeps its files."""

    folder: Path

    @property
    def address_file(self) -> Path:
        return self.folder / "bus-address"

    @property
    def socket(self) -> Path:
        return self.folder / "bus"

    @property
    def config_home(self) -> Path:
        return self.folder / "config"

    @property
    def cache_home(self) -> Path:
        return self.folder / "cache"

    @property
    def keyfile(self) -> Path:
        return self.config_home / "glib-2.0" / "settings" / "keyfile"


def session_folder(environ) -> Path:
    """``$XDG_RUNTIME_DIR/kiosk-ibus`` (a tmpfs of the login session), else a new private folder."""
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_absolute() and Path(runtime).is_dir():
        return Path(runtime) / FOLDER_NAME
    return Path(tempfile.mkdtemp(prefix=f"{FOLDER_NAME}-"))


def _check(method: str, allowed: tuple[str, ...]) -> None:
    if method not in allowed:
        raise ValueError(f"unknown input method {method!r}; one of {', '.join(allowed)}")


def start_method(counter_marker: Path, typing: str = DEFAULT_METHOD) -> str:
    """On a counter, ``typing`` (the device's ``staff_typing``: telex, vni or off) in Unikey;
    keys as typed (``off``) on a kiosk.

    At a counter only the fields for Vietnamese words take the input method
    (:mod:`kiosk.ui.input_gate`): a keyboard-wedge scan into a card, barcode or ISBN field
    arrives as typed, where Telex would rewrite it (``WX-2031-AS`` became ``Ữ-2031-Á``,
    measured). A kiosk's patron screens take wedge scans with no field focused and need its
    scan detector to see every raw key; its staff area can still :func:`switch` to Telex.
    """
    if not counter_marker.exists():
        return "off"
    return typing if typing in SWITCHES else DEFAULT_METHOD


def device_typing(environ) -> str:
    """The ``staff_typing`` the window will read (kiosk.toml, ``$KIOSK_STAFF_TYPING``), so
    IBus starts as the staff area's switch shows; Telex when the settings cannot be read
    (the window then says why)."""
    from kiosk.config import ConfigError, load

    try:
        return load(environ).staff_typing
    except (ConfigError, OSError) as exc:
        log.warning("cannot read staff_typing (%s): Telex", exc)
        return DEFAULT_METHOD


def prepare(layout: Layout, method: str) -> None:
    """An empty folder (a previous run's address file would point at a dead daemon) and the
    engine's settings (Telex while typing is off)."""
    _check(method, SWITCHES)
    folder = layout.folder
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(mode=0o700)
    layout.keyfile.parent.mkdir(parents=True)
    layout.cache_home.mkdir()
    write_method(layout, method if method in METHODS else DEFAULT_METHOD)


def write_method(layout: Layout, method: str) -> None:
    """Unikey's input method in its settings file, replaced whole (the engine watches it)."""
    _check(method, METHODS)
    part = layout.keyfile.with_name(layout.keyfile.name + ".new")
    part.write_text(f"[{_UNIKEY_GROUP}]\ninput-method='{method}'\n")
    os.replace(part, layout.keyfile)


def daemon_environment(environ, layout: Layout) -> dict[str, str]:
    env = {key: value for key, value in environ.items() if key not in _NOT_FOR_THE_DAEMON}
    env.update(IBUS_ADDRESS_FILE=str(layout.address_file),
               XDG_CONFIG_HOME=str(layout.config_home),
               XDG_CACHE_HOME=str(layout.cache_home),
               GSETTINGS_BACKEND="keyfile")
    return env


def window_environment(environ, layout: Layout) -> dict[str, str]:
    return {**environ, "QT_IM_MODULE": "ibus", "IBUS_ADDRESS_FILE": str(layout.address_file)}


def read_address(path: Path) -> tuple[str, int] | None:
    """``(address, daemon pid)`` from an IBus address file; None while it is missing or partial."""
    try:
        text = path.read_text()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    fields = dict(line.split("=", 1) for line in text.splitlines()
                  if "=" in line and not line.startswith("#"))
    address, pid = fields.get("IBUS_ADDRESS", ""), fields.get("IBUS_DAEMON_PID", "")
    if not address or not pid.isdigit():
        return None
    return address, int(pid)


def _die_with_parent(parent: int):
    def preexec() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)
    return preexec


def start_daemon(layout: Layout, environ, daemon: str) -> subprocess.Popen:
    command = [daemon, "--panel=disable", "--emoji-extension=disable", "--config=disable",
               f"--address=unix:path={layout.socket}"]
    # Its messages go to stderr (the journal): the command's output stays the command's.
    return subprocess.Popen(command, env=daemon_environment(environ, layout),
                            stdin=subprocess.DEVNULL, stdout=sys.stderr.fileno(),
                            preexec_fn=_die_with_parent(os.getpid()))


def wait_for_bus(layout: Layout, daemon: subprocess.Popen, deadline: float) -> str:
    while True:
        if daemon.poll() is not None:
            raise InputMethodError(f"ibus-daemon exited with status {daemon.returncode}")
        found = read_address(layout.address_file)
        if found is not None and found[1] == daemon.pid:
            return found[0]
        if time.monotonic() > deadline:
            raise InputMethodError("ibus-daemon wrote no bus address in time")
        time.sleep(0.05)


def _ibus(tool: str, env, *args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([tool, *args], env=env, capture_output=True, text=True,
                          timeout=max(timeout, 1.0), stdin=subprocess.DEVNULL)


def select_engine(tool: str, env, deadline: float, engine: str = ENGINE) -> None:
    """Make ``engine`` IBus's global engine; the daemon starts it on demand, so retry a while.

    ``ibus engine NAME`` then runs setxkbmap, which fails under Wayland and makes the tool exit
    with 1 although the engine is set: only ``ibus engine``'s answer counts. The tool gets no
    display, so it never changes the keyboard layout of an X server either.
    """
    env = {key: value for key, value in env.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    reason = ""
    while time.monotonic() < deadline:
        try:
            done = _ibus(tool, env, "engine", engine, timeout=deadline - time.monotonic())
            current = _ibus(tool, env, "engine", timeout=deadline - time.monotonic())
            if current.returncode == 0 and current.stdout.strip() == engine:
                return
            reason = (current.stdout.strip() or current.stderr.strip() or
                      done.stderr.strip())
        except subprocess.TimeoutExpired:
            reason = "ibus did not answer"
        time.sleep(0.2)
    raise InputMethodError(f"could not select {engine}: {reason}")


def stop(daemon: subprocess.Popen) -> None:
    if daemon.poll() is None:
        daemon.terminate()
        try:
            daemon.wait(5)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def ready_environment(environ, method: str = DEFAULT_METHOD,
                      seconds: float = START_SECONDS) -> dict[str, str]:
    """Start IBus for this session; the environment the window should run with.

    When IBus is missing or cannot be made ready, the environment is returned as it was,
    after logging why: the window comes up with plain keys.
    """
    daemon_path, tool = shutil.which("ibus-daemon", path=environ.get("PATH")), \
        shutil.which("ibus", path=environ.get("PATH"))
    if daemon_path is None or tool is None:
        log.warning("IBus is not installed: no Vietnamese typing (Telex/VNI) in the window")
        return dict(environ)
    _check(method, SWITCHES)
    engine = ENGINE if method in METHODS else PLAIN_ENGINE
    started = time.monotonic()
    daemon = None
    try:
        layout = Layout(session_folder(environ))
        prepare(layout, method)
        daemon = start_daemon(layout, environ, daemon_path)
        deadline = started + seconds
        wait_for_bus(layout, daemon, deadline)
        select_engine(tool, daemon_environment(environ, layout), deadline, engine)
    except (InputMethodError, OSError) as exc:
        if daemon is not None:
            stop(daemon)
        log.warning("IBus is not ready (%s): no Vietnamese typing in the window", exc)
        return dict(environ)
    log.info("IBus ready with %s (%s) in %.1f s", engine, method, time.monotonic() - started)
    return window_environment(environ, layout)


def switch(method: str, environ=os.environ, seconds: float = 5.0) -> None:
    """Change how the running window types: ``telex`` or ``vni`` (Unikey), or ``off``.

    For a switch in the staff area; ``environ`` is the window's own (its ``IBUS_ADDRESS_FILE``
    names the IBus this module started). Raises :class:`InputMethodError` when there is none.
    The choice lasts until the window restarts, which begins as :func:`start_method` says.
    """
    _check(method, SWITCHES)
    address_file = environ.get("IBUS_ADDRESS_FILE")
    tool = shutil.which("ibus", path=environ.get("PATH"))
    if not address_file or tool is None:
        raise InputMethodError("no IBus runs for this window")
    layout = Layout(Path(address_file).parent)
    if layout.address_file != Path(address_file) or not layout.keyfile.is_file():
        raise InputMethodError(f"{address_file} is not an IBus this module started")
    env = daemon_environment(environ, layout)
    deadline = time.monotonic() + seconds
    select_engine(tool, env, deadline, PLAIN_ENGINE)
    if method == "off":
        return
    # ibus-unikey 0.7 reloads a changed setting through a pointer to the engine last focused,
    # which "off" has destroyed: its process then crashes and IBus stops answering (measured).
    # So a method is only ever read by a fresh engine process, as at start.
    _stop_engines(layout, deadline)
    write_method(layout, method)
    select_engine(tool, env, deadline, ENGINE)


def _stop_engines(layout: Layout, deadline: float) -> None:
    """End the Unikey engine processes of this session's daemon; it starts one again on demand."""
    found = read_address(layout.address_file)
    if found is None:
        raise InputMethodError("IBus's address file is gone")
    daemon = found[1]
    try:
        children = Path(f"/proc/{daemon}/task/{daemon}/children").read_text().split()
    except FileNotFoundError:
        raise InputMethodError("IBus is not running") from None
    engines = []
    for pid in map(int, children):
        try:
            if b"ibus-engine-unikey" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGTERM)
                engines.append(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
    # Gone from /proc once the daemon has reaped it, and so knows it must start a new one.
    for pid in engines:
        while Path(f"/proc/{pid}").exists():
            if time.monotonic() > deadline:
                raise InputMethodError("the Unikey engine did not stop")
            time.sleep(0.02)


def _parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.appliance.input_method",
        usage="%(prog)s [--method auto|telex|vni|off] -- COMMAND [ARG...]",
        description="Start IBus with the Unikey engine for this session, then run COMMAND.")
    parser.add_argument("--method", choices=STARTS, default="auto",
                        help="typing at start: Unikey's telex or vni, or off (keys as typed); "
                             "auto (default): the device's staff_typing on a counter, "
                             "off on a kiosk")
    parser.add_argument("--timeout", type=float, default=START_SECONDS,
                        help="seconds IBus may take to come up (default: %(default)s)")
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    if not command:
        parser.error("the command to run goes after --")
    if not 0 < args.timeout <= 600:
        parser.error("--timeout must be between 0 and 600 seconds")
    return args, command


def main(argv: list[str] | None = None) -> int:
    args, command = _parse(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(level=logging.INFO, format="input_method: %(message)s")
    method = args.method
    if method == "auto":
        from kiosk.appliance.firstboot import ROLE_COUNTER
        method = start_method(Path(ROLE_COUNTER), device_typing(os.environ))
    env = ready_environment(os.environ, method, args.timeout)
    try:
        os.execvpe(command[0], command, env)
    except OSError as exc:
        print(f"input_method: cannot run {command[0]}: {exc}", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main())

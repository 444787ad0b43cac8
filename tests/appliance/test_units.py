"""The systemd units, user and folders as systemd itself reads them.

``systemd-analyze verify`` checks that each unit parses and that its ExecStart= programs
exist and are executable. The appliance's programs (/opt/kiosk/venv/bin/kiosk and python,
/usr/bin/cage) are not installed on a build machine, so the units are copied into a
temporary folder with those paths pointed at stub executables there; nothing else
changes. verify only *warns* (exit 0) about an unknown or misspelt directive, so any
output at all counts as a failure.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SYSTEMD = Path(__file__).resolve().parents[2] / "systemd"
UNITS = sorted(p for p in SYSTEMD.iterdir() if p.suffix in (".service", ".timer"))
KIOSK_USER_SERVICES = ["kiosk-ui.service", "kiosk-sync.service", "kiosk-serve-sync.service",
                       "kiosk-backup.service", "kiosk-enrol-retry.service"]


def stage(tmp_path: Path) -> list[Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("kiosk", "cage", "python"):
        stub = bin_dir / name
        stub.write_text("#!/bin/sh\nexit 0\n")
        stub.chmod(0o755)
    staged = []
    for unit in UNITS:
        (tmp_path / unit.name).write_text(rewrite(unit.read_text(), bin_dir))
        staged.append(tmp_path / unit.name)
    return staged


def rewrite(text: str, bin_dir: Path) -> str:
    return text.replace("/opt/kiosk/venv/bin/kiosk", str(bin_dir / "kiosk")) \
        .replace("/opt/kiosk/venv/bin/python", str(bin_dir / "python")) \
        .replace("/usr/bin/cage", str(bin_dir / "cage"))


def verify(paths: list[Path]) -> tuple[int, str]:
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, paths)],
                          capture_output=True, text=True, timeout=60)
    return done.returncode, (done.stdout + done.stderr).strip()


def directives(path: Path) -> dict[str, list[str]]:
    """``Key`` -> every value it is given (units repeat keys such as After=)."""
    found: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_every_unit_passes_systemd_analyze_verify_without_a_warning(tmp_path):
    assert {p.name for p in UNITS} >= {
        "kiosk-ui.service", "kiosk-sync.service", "kiosk-serve-sync.service",
        "kiosk-backup.service", "kiosk-backup.timer", "kiosk-firstboot.service",
        "kiosk-enrol-retry.service", "kiosk-enrol-retry.timer"}
    assert verify(stage(tmp_path)) == (0, "")


@pytest.mark.parametrize("original, broken", [
    ("ProtectSystem=strict", "ProtectSytem=strict"),
    ("WatchdogSec=30", "WatchdogSec=thirty"),
    ("ExecStart=/opt/kiosk/venv/bin/python", "ExecStart=/opt/kiosk/venv/bin/pythonn"),
])
def test_verify_as_used_here_catches_a_typo(tmp_path, original, broken):
    staged = stage(tmp_path)
    source = (SYSTEMD / "kiosk-ui.service").read_text()
    assert original in source
    (tmp_path / "kiosk-ui.service").write_text(
        rewrite(source.replace(original, broken), tmp_path / "bin"))
    code, output = verify(staged)
    assert "kiosk-ui.service" in output


def test_the_kiosk_window_is_a_watched_notify_service_under_cage_on_tty1():
    ui = directives(SYSTEMD / "kiosk-ui.service")
    assert ui["ExecStart"] == ["/opt/kiosk/venv/bin/python -m kiosk.appliance.notify_relay "
                               "/opt/kiosk/venv/bin/python -m kiosk.appliance.input_method -- "
                               "/usr/bin/cage -s -- /opt/kiosk/venv/bin/kiosk run --fullscreen"]
    assert (ui["Type"], ui["NotifyAccess"], ui["WatchdogSec"], ui["Restart"]) == \
        (["notify"], ["main"], ["30"], ["on-failure"])
    assert (ui["User"], ui["PAMName"], ui["TTYPath"]) == (["kiosk"], ["login"], ["/dev/tty1"])
    assert {"systemd-user-sessions.service", "kiosk-firstboot.service"} <= \
        set(" ".join(ui["After"]).split())


@pytest.mark.parametrize("name", KIOSK_USER_SERVICES)
def test_every_service_runs_hardened_as_the_kiosk_user(name):
    unit = directives(SYSTEMD / name)
    assert unit["User"] == ["kiosk"]
    assert unit["NoNewPrivileges"] == ["yes"] and unit["PrivateTmp"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"] and unit["ReadWritePaths"] == ["/var/lib/kiosk"]
    # The window needs /run/user/UID writable for its Wayland socket: it hides the homes one
    # by one (tests/image/test_boot.py boots it).
    if name == "kiosk-ui.service":
        assert set(unit["InaccessiblePaths"][0].split()) == {"-/home", "-/root"}
    else:
        assert unit["ProtectHome"] == ["yes"]
    assert "KIOSK_DB=/var/lib/kiosk/kiosk.db" in unit["Environment"]
    groups = set(" ".join(unit.get("SupplementaryGroups", [])).split())
    assert groups <= {"lp", "dialout", "input", "video", "render"}
    if name != "kiosk-ui.service":
        assert groups == set()


def test_first_boot_and_the_counter_server_run_only_when_they_apply():
    firstboot = directives(SYSTEMD / "kiosk-firstboot.service")
    assert "/boot/firmware/kiosk-settings.toml" in firstboot["ConditionPathExists"]
    assert "!/var/lib/kiosk/firstboot-done" in firstboot["ConditionPathExists"]
    assert directives(SYSTEMD / "kiosk-serve-sync.service")["ConditionPathExists"] == \
        ["/etc/kiosk/role-counter"]
    timer = directives(SYSTEMD / "kiosk-backup.timer")
    assert timer["OnCalendar"] == ["daily"] and timer["OnBootSec"]


def test_sysusers_and_tmpfiles_create_the_user_and_its_data_folder(tmp_path):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    for tool, conf in (("systemd-sysusers", "sysusers.d/kiosk.conf"),
                       ("systemd-tmpfiles", "tmpfiles.d/kiosk.conf")):
        args = [tool, f"--root={root}"] + (["--create"] if "tmpfiles" in tool else [])
        done = subprocess.run([*args, str(SYSTEMD / conf)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    passwd = (root / "etc/passwd").read_text()
    uid = int(next(line for line in passwd.splitlines() if line.startswith("kiosk:")).split(":")[2])
    data = root / "var/lib/kiosk"
    assert data.stat().st_uid == uid and (data / "backups").stat().st_uid == uid
    assert oct(data.stat().st_mode & 0o777) == "0o750"

"""A kiosk runs without the hub's packages, and without the camera stack unless it scans
with a camera; both are extras (pyproject.toml), imported only where they are needed."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
HUB = {"fastapi", "uvicorn", "openpyxl", "fpdf", "jinja2", "itsdangerous", "multipart"}
CAMERA = {"cv2", "zxingcpp", "pyzbar"}


def _python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env)


def test_the_hub_and_camera_packages_should_be_extras_not_requirements():
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    required = {d.split(">")[0].split(";")[0].strip().lower() for d in project["dependencies"]}
    extras = project["optional-dependencies"]
    assert {"fastapi", "uvicorn", "openpyxl", "fpdf2"} <= {d.split(">")[0] for d in extras["hub"]}
    assert {"opencv-python-headless", "zxing-cpp", "pyzbar"} <= \
        {d.split(">")[0] for d in extras["camera"]}
    assert not required & {"fastapi", "uvicorn", "openpyxl", "fpdf2", "opencv-python-headless",
                           "zxing-cpp", "pyzbar", "jinja2", "itsdangerous", "python-multipart"}


def test_the_kiosk_window_cli_and_sync_services_should_load_none_of_them():
    done = _python(
        "import sys, kiosk.ui.app, kiosk.compose, kiosk.cli, sync.server, sync.daemon\n"
        "from kiosk.cli import build_parser; build_parser()\n"
        "from hardware.devices import DeviceRegistry\n"
        "print(sorted(m.split('.')[0] for m in sys.modules) )")
    loaded = set(eval(done.stdout.strip().splitlines()[-1]))
    assert not loaded & (HUB | CAMERA), done.stderr


def test_a_camera_without_the_camera_extra_should_say_so_in_the_device_status():
    done = _python(
        "import sys; sys.modules['cv2'] = None\n"
        "from hardware.device_config import parse_config\n"
        "from hardware.devices import DeviceRegistry\n"
        "r = DeviceRegistry(parse_config({'scanner': {'kind': 'camera'}, 'hotplug': False}))\n"
        "r.start(); print([(s.name, s.state, s.detail) for s in r.status() if s.name == 'camera:0'])\n"
        "r.stop()")
    assert "[('camera:0', 'disconnected', \"camera support is not installed" in done.stdout, \
        done.stderr

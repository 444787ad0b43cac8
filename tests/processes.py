"""Real `kiosk` and `district` processes on loopback, shared by the end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from sync import protocol


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args: str, module: str = "kiosk") -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                          env=env, timeout=120)


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def make_district(db: Path, library: str = "TN-PHUTHO") -> None:
    ok(run("--db", str(db), "init", module="district"))
    ok(run("--db", str(db), "library", library, "Thư viện xã Phú Thọ", module="district"))


def enrol_code(db: Path, library: str = "TN-PHUTHO") -> str:
    return ok(run("--db", str(db), "enrol-code", "--library", library, module="district")).strip()


def serve_module(args: list[str], port: int) -> subprocess.Popen:
    """``python -m ARGS --port PORT`` on loopback, once it answers the sync hello."""
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    proc = subprocess.Popen([sys.executable, "-m", *args, "--port", str(port), "--host", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}{protocol.HELLO}", timeout=1)
            return proc
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(proc.stderr.read().decode())


def serve(db: Path, port: int) -> subprocess.Popen:
    return serve_module(["district", "--db", str(db), "serve"], port)


def stop(proc: subprocess.Popen) -> None:
    """Stop a server; kill it if it does not stop in time, so no test leaves one running."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

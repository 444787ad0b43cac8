"""Downloading a bootstrap file: signed, in ranges, resumable, checked by SHA-256.

The bytes go straight to ``<target>.part`` as they arrive (``<target>.part.json`` says
which file they belong to), so a cut, a reset or a power failure loses at most what was
in flight: the next request, or the next run, asks for the rest with ``Range``. When the
file is whole its SHA-256 must be the one the server stated; a file that does not match
is deleted and refused with a message, never installed.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Callable

import requests
import urllib3

from sync import auth, bootstrap, bootstrap_serve, protocol

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]


class DownloadFailed(RuntimeError):
    """The file could not be fetched; the message (Vietnamese) says what to do."""


def _quiet(stage: str, done: int, total: int | None) -> None:
    """No progress output."""


class Download:
    def __init__(self, server: str, device_id: str, private_key: str, *,
                 session: requests.Session | None = None,
                 timeout: tuple[float, float] = (10.0, 60.0), retries: int = 8,
                 backoff: float = 0.5, max_wait_s: float = 900.0,
                 sleep: Callable[[float], None] = time.sleep, progress: Progress = _quiet):
        self.server = server.rstrip("/")
        self.device_id, self.private_key = device_id, private_key
        self.session = session or requests.Session()
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.max_wait_s, self.sleep, self.progress = max_wait_s, sleep, progress
        self.offset = 0.0  # the server's clock minus ours (signatures use the server's)

    def _signed(self, path: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = auth.sign_headers(self.private_key, self.device_id, "GET", path, b"",
                                    time.time() + self.offset)
        headers.update(extra or {})
        return headers

    def _hello(self) -> None:
        before = time.time()
        info = self.session.get(self.server + protocol.HELLO, timeout=self.timeout).json()
        if isinstance(info.get("time"), (int, float)):
            self.offset = float(info["time"]) - (before + time.time()) / 2

    def manifest(self) -> dict:
        """The manifest of the device's file, waiting (bounded) while the server makes it."""
        waited = 0.0
        failures = 0
        while True:
            try:
                self._hello()
                response = self.session.get(self.server + protocol.SNAPSHOT,
                                            headers=self._signed(protocol.SNAPSHOT),
                                            timeout=self.timeout)
            except (requests.RequestException, ValueError) as exc:
                failures += 1
                if failures >= self.retries:
                    raise DownloadFailed(f"không kết nối được {self.server}: {exc}") from None
                self.sleep(min(30.0, self.backoff * 2 ** failures))
                continue
            if response.status_code == 202:
                pause = float(response.headers.get("Retry-After", "2") or 2)
                if waited >= self.max_wait_s:
                    raise DownloadFailed("máy chủ chưa chuẩn bị xong tệp khởi tạo: thử lại sau")
                self.progress("prepare", int(waited), None)
                self.sleep(pause)
                waited += pause
                continue
            if response.status_code >= 500:
                failures += 1
                if failures >= self.retries:
                    raise DownloadFailed(f"{self.server} trả lỗi {response.status_code}")
                self.sleep(min(30.0, self.backoff * 2 ** failures))
                continue
            if response.status_code != 200:
                raise DownloadFailed(f"máy chủ từ chối gửi tệp khởi tạo: {_message(response)}")
            manifest = response.json()
            if not isinstance(manifest, dict) or not isinstance(manifest.get("sha256"), str):
                raise DownloadFailed("máy chủ trả về mô tả tệp khởi tạo không hợp lệ")
            return manifest

    def fetch(self, target: Path) -> dict:
        """Download the file to ``target`` (resuming ``target.part``); returns its manifest."""
        target = Path(target)
        part = target.with_name(target.name + ".part")
        note = target.with_name(target.name + ".part.json")
        manifest = self.manifest()
        sha, size = manifest["sha256"], int(manifest["size"])
        if target.exists() and bootstrap.file_sha256(target)[0] == sha:
            return manifest
        try:
            held = json.loads(note.read_text()).get("sha256")
        except (OSError, ValueError):
            held = None
        if held != sha:
            part.unlink(missing_ok=True)
            note.write_text(json.dumps({"sha256": sha, "size": size, "server": self.server}))
        failures = 0
        while (have := part.stat().st_size if part.exists() else 0) < size:
            self.progress("download", have, size)
            try:
                status = self._range(part, sha, have, size)
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                status = f"{type(exc).__name__}: {exc}"
            if status == "gone":  # replaced by a newer file: start on that one
                part.unlink(missing_ok=True)
                note.unlink(missing_ok=True)
                return self.fetch(target)
            if status == "ok":
                failures = 0
                continue
            grown = (part.stat().st_size if part.exists() else 0) > have
            failures = 0 if grown else failures + 1
            if failures >= self.retries:
                raise DownloadFailed(f"tải tệp khởi tạo bị gián đoạn ({status}); chạy lại lệnh "
                                     "để tải tiếp phần còn lại")
            log.info("bootstrap download interrupted at %d/%d bytes: %s", have, size, status)
            if not grown:
                self.sleep(min(30.0, self.backoff * 2 ** failures))
        self.progress("download", size, size)
        got, got_size = bootstrap.file_sha256(part)
        if got != sha or got_size != size:
            part.unlink(missing_ok=True)
            note.unlink(missing_ok=True)
            raise bootstrap.Damaged("tệp khởi tạo tải về bị hỏng (SHA-256 không khớp với máy "
                                    "chủ): đã xóa, không cài đặt gì; hãy chạy lại lệnh để tải lại")
        part.replace(target)
        note.unlink(missing_ok=True)
        return manifest

    def _range(self, part: Path, sha: str, start: int, size: int) -> str:
        end = min(size, start + bootstrap_serve.MAX_CHUNK) - 1
        headers = self._signed(protocol.BOOTSTRAP, {bootstrap_serve.SHA_HEADER: sha,
                                                    "Range": f"bytes={start}-{end}"})
        with self.session.get(self.server + protocol.BOOTSTRAP, headers=headers,
                              timeout=self.timeout, stream=True) as response:
            if response.status_code == 410:
                return "gone"
            if response.status_code == 401 and "timestamp" in _message(response):
                self._hello()
                return "clock"
            if response.status_code != 206:
                if response.status_code >= 500 or response.status_code == 429:
                    return f"HTTP {response.status_code}"
                raise DownloadFailed(f"máy chủ từ chối gửi tệp khởi tạo: {_message(response)}")
            if not response.headers.get("Content-Range", "").startswith(f"bytes {start}-"):
                return "bad range"
            with open(part, "ab") as out:
                piece = max(1024, min(16 * 1024, (end - start + 1) // 8))  # kept if cut
                while block := response.raw.read(piece, decode_content=False):
                    out.write(block)
                    out.flush()
                    self.progress("download", out.tell(), size)
        return "ok"


def _message(response: requests.Response) -> str:
    try:
        return str(response.json().get("error"))
    except ValueError:
        return response.text[:200]

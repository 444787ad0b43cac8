"""The bootstrap file: a library's current state as a compressed stream of rows.

A new or replaced device needs the state of its library (its rows and the shared rows,
exactly what :data:`sync.snapshot.ALLOWED` selects), not the history that produced it.
The file is one xz stream of UTF-8 lines:

- a header object: format, partitions, the schema version and the **floor** (the
  version vector of the cut, see :mod:`sync.bootstrap_floor`);
- per table, an object ``{"table": ..., "columns": [...]}`` and then its rows in
  **blocks** of at most :data:`BLOCK` rows, one line each, column by column:
  ``[n, column, column, ...]`` where a column is the list of its ``n`` values, ``null``
  when all of them are null, and when all are 32-hex-digit ids either
  ``{"ids": {...}}``, the ids a node minted packed by prefix, counter step and random
  tail (:mod:`sync.bootstrap_ids`, version 3), or ``{"hex": BASE64}``, the 16 bytes of
  each, when no two share a prefix (random ids). Values of one column side by side
  compress better than rows (a title next to titles), and an id packed as bytes costs at
  most 16 bytes, not 32 hex digits that no compressor brings down to 16 (see
  ``bench/bootstrap_bench.py``);
- a trailer ``{"end": true, "rows": {...}, "sha256": ...}`` whose SHA-256 covers every
  line before it, so a truncated or damaged file is refused even without the SHA-256 the
  server states for the compressed bytes.

It is written from one read transaction of its own connection (WAL: writers go on), a
block at a time through the compressor, so memory stays bounded whatever the library's
size. A file of another format version is refused with what to do (remake it, or update
the software).
Why xz (``lzma`` preset 6): measured in ``bench/bootstrap_bench.py`` it is the smallest
of gzip -9, xz and zstd -19 on these rows, it is in the standard library, and at preset
6 (8 MiB dictionary) it compresses in under 100 MB and decompresses in about 9 MB; the
transfer, not the CPU, is what a rural link pays for.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import io
import json
import lzma
import re
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from kiosk.store.migrations import SCHEMA_VERSION
from sync import bootstrap_history, bootstrap_ids

FORMAT = "kiosk-bootstrap"
VERSION = 3
PRESET = 6
BLOCK = 2000
MAX_LINE = 32 * 1024 * 1024  # a block of large rows is split below it; a longer line is refused
_HEX_ID = re.compile(r"^[0-9a-f]{32}$")
SUFFIX = ".kboot"
# Columns a device derives itself: the FTS row id is local to each database.
LOCAL_COLUMNS = {"records": {"rid"}}
# Rows ordered so that neighbours look alike (an item next to its record's other copies;
# records as they were catalogued, so their copies' barcodes run on: 6 % smaller than by id).
ORDER = {"records": "rid", "items": "record_id, barcode", "patrons": "card_number",
         "record_versions": "tbl, record_id, field"}
RECORD_STEP = "record_step"
Progress = Callable[[str, int, int | None], None]


class Damaged(ValueError):
    """A bootstrap file that cannot be installed; the message is for a technician."""


def damaged(detail: str) -> Damaged:
    return Damaged(f"tệp khởi tạo bị hỏng hoặc không đầy đủ ({detail}): không cài đặt gì; "
                   "hãy tải hoặc chép lại tệp")


@dataclass(frozen=True)
class Made:
    path: Path
    sha256: str
    size: int
    floors: dict[str, int]
    rows: dict[str, int]


def _quiet(stage: str, done: int, total: int | None) -> None:
    """No progress output."""


def _source(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA query_only=ON")
    return conn


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    local = LOCAL_COLUMNS.get(table, set())
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in local]


def cut_floors(conn: sqlite3.Connection,
               partitions: set[str] | None) -> tuple[dict[str, int], dict[str, str]]:
    """The vector of the partitions at this read transaction (the file's floor), and the
    partition each of its origins writes."""
    rows = [r for r in conn.execute("SELECT origin_id, seq, library_id FROM origin_tops")
            if partitions is None or r[2] in partitions]
    return {o: s for o, s, _ in rows}, {o: lib for o, _, lib in rows}


def make(source: str | Path, partitions: set[str] | None, target: str | Path, *,
         library: str | None = None, progress: Progress = _quiet,
         compression: str = "xz", preset: int | None = None) -> Made:
    """Write the bootstrap file of ``partitions`` (None: everything) of the database at
    ``source`` to ``target``; returns its SHA-256, size and floor."""
    from sync.snapshot import selections

    target = Path(target)
    temp = target.with_name(target.name + ".making")
    conn = _source(source)
    rows: dict[str, int] = {}
    record_selection: tuple[str, list] = ("0", [])
    digest = hashlib.sha256()
    try:
        conn.execute("BEGIN")  # one read transaction: a consistent cut while others write
        floors, origins = cut_floors(conn, partitions)
        header = {"format": FORMAT, "version": VERSION, "schema_version": SCHEMA_VERSION,
                  "library": library, "partitions": sorted(partitions) if partitions else None,
                  "floors": floors, "origins": origins}
        with compressor(temp, compression, preset) as out:
            def emit(line: bytes) -> None:
                digest.update(line)
                out.write(line)

            emit(_line(header))
            for table, where, params in selections(partitions):
                columns = _columns(conn, table)
                if table == "records":
                    record_selection = (where, params)
                emit(_line({"table": table, "columns": [
                    RECORD_STEP if table == "items" and c == "record_id" else c
                    for c in columns]}))
                if table == "events":  # only what the device needs (sync.bootstrap_history)
                    cursor = bootstrap_history.select(where, params, columns, conn, partitions)
                elif table == "items":
                    cursor = _items(conn, columns, where, params, record_selection)
                    columns = [RECORD_STEP if c == "record_id" else c for c in columns]
                else:
                    cursor = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE "
                                          f"{where} ORDER BY {ORDER.get(table, 'rowid')}", params)
                count = 0
                for batch in _batches(cursor, BLOCK):
                    for line in _block_lines(batch, len(columns)):
                        emit(line)
                    count += len(batch)
                    progress("make", count, None)
                rows[table] = count
            out.write(_line({"end": True, "rows": rows, "sha256": digest.hexdigest()}))
        conn.execute("COMMIT")
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    sha, size = file_sha256(temp)
    temp.replace(target)
    return Made(target, sha, size, floors, rows)


def compressor(path: Path, compression: str, level: int | None) -> BinaryIO:
    """A writable compressed file: ``xz`` (the default), ``gzip`` or ``zstd`` (only where
    the optional ``zstandard`` package is installed; the benchmark compares them)."""
    if compression == "xz":
        return lzma.open(path, "wb", format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64,
                         preset=PRESET if level is None else level)
    if compression == "gzip":
        return gzip.open(path, "wb", compresslevel=9 if level is None else level)
    if compression == "zstd":
        import zstandard

        raw = open(path, "wb")
        return zstandard.ZstdCompressor(level=19 if level is None else level).stream_writer(
            raw, closefd=True)
    raise ValueError(f"unknown compression {compression!r}")


def decompressor(path: Path) -> BinaryIO:
    """Open a bootstrap file whatever it was compressed with (told by its first bytes)."""
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic.startswith(b"\xfd7zXZ"):
        return lzma.open(path, "rb")
    if magic.startswith(b"\x1f\x8b"):
        return gzip.open(path, "rb")
    if magic.startswith(b"\x28\xb5\x2f\xfd"):
        try:
            import zstandard
        except ImportError:
            raise Damaged("tệp khởi tạo nén bằng zstd nhưng thiết bị không có gói zstandard: "
                          "hãy tạo lại tệp bằng xz (mặc định)") from None
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(path, "rb"),
                                                                            closefd=True))
    raise damaged("không phải tệp khởi tạo")


def _items(conn: sqlite3.Connection, columns: list[str], where: str, params: list,
           records: tuple[str, list]) -> Iterator[list]:
    """Items in their records' order, each naming its record by the step from the previous
    item's record in the records section (0: the same record, 1: the next): a record id is
    16 bytes no compressor can shrink, a step is a fraction of one. The device turns the
    step back into the id: records are numbered 1, 2, ... (``rid``) as they are loaded."""
    record_where, record_params = records
    select = ", ".join(f"i.{c}" if c != "record_id" else "r.n" for c in columns)
    at = columns.index("record_id")
    previous = 0
    for row in conn.execute(
            f"SELECT {select} FROM items i JOIN (SELECT id, row_number() OVER (ORDER BY rid) AS n "
            f"FROM records WHERE {record_where}) r ON r.id = i.record_id WHERE {where} "
            "ORDER BY r.n, i.barcode", [*record_params, *params]):
        row = list(row)
        row[at], previous = row[at] - previous, row[at]
        yield row


def _batches(rows, size: int = BLOCK) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def encode_block(rows: list, width: int) -> list:
    """``[n, column, ...]`` of ``rows`` (see the module's docstring)."""
    block: list = [len(rows)]
    for at in range(width):
        values = [row[at] for row in rows]
        if all(v is None for v in values):
            block.append(None)
        elif all(isinstance(v, str) and _HEX_ID.match(v) for v in values):
            packed = bootstrap_ids.encode(values)
            if packed is None:
                packed = {"hex": base64.b64encode(b"".join(bytes.fromhex(v) for v in values))
                          .decode("ascii")}
            block.append(packed)
        else:
            block.append(values)
    return block


def _block_lines(rows: list, width: int) -> list[bytes]:
    """The block line of ``rows``, split in halves while it is longer than :data:`MAX_LINE`."""
    line = _line(encode_block(rows, width))
    if len(line) <= MAX_LINE or len(rows) == 1:
        return [line]
    half = len(rows) // 2
    return _block_lines(rows[:half], width) + _block_lines(rows[half:], width)


def decode_block(block: Any, width: int) -> list[list]:
    """The rows of a block line; raises :class:`Damaged` on any malformed part."""
    if not isinstance(block, list) or len(block) != width + 1:
        raise damaged("khối dòng sai số cột")
    n = block[0]
    if type(n) is not int or not 0 < n <= BLOCK:
        raise damaged("khối dòng sai số dòng")
    columns = []
    for column in block[1:]:
        if column is None:
            column = [None] * n
        elif isinstance(column, dict) and isinstance(column.get("hex"), str) and len(column) == 1:
            try:
                packed = base64.b64decode(column["hex"], validate=True)
            except binascii.Error:
                raise damaged("mã định danh không đọc được") from None
            if len(packed) != 16 * n:
                raise damaged("mã định danh sai độ dài")
            column = [packed[i:i + 16].hex() for i in range(0, len(packed), 16)]
        elif bootstrap_ids.is_packed(column):
            column = bootstrap_ids.decode(column, n, damaged)
        elif not isinstance(column, list) or len(column) != n:
            raise damaged("cột của khối dòng sai độ dài")
        columns.append(column)
    return [list(row) for row in zip(*columns)]


def _line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def file_sha256(path: str | Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _readline(stream: BinaryIO) -> bytes:
    line = stream.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise damaged("một dòng dài quá mức")
    return line


@dataclass
class Section:
    table: str
    columns: list[str]


def read(path: str | Path) -> Iterator[dict | Section | list]:
    """The header, then for each table a :class:`Section` followed by its rows; the
    trailer is checked last (raises :class:`Damaged` on any fault, even the last line)."""
    digest = hashlib.sha256()
    try:
        with decompressor(Path(path)) as stream:
            first = _readline(stream)
            try:
                header = json.loads(first)
            except ValueError:
                raise damaged("không phải tệp khởi tạo") from None
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise damaged("không phải tệp khởi tạo")
            version = header.get("version")
            if version != VERSION:
                older = type(version) is int and version < VERSION
                raise Damaged(f"tệp khởi tạo định dạng phiên bản {version}, phần mềm này đọc "
                              f"phiên bản {VERSION}: " + (
                                  "tệp được tạo bởi phần mềm cũ, hãy tạo lại tệp (kiosk bootstrap "
                                  "--export trên máy đã cập nhật)" if older else
                                  "hãy cập nhật phần mềm trên thiết bị này trước"))
            if int(header.get("schema_version") or 0) > SCHEMA_VERSION:
                raise Damaged("tệp khởi tạo được tạo bởi phiên bản phần mềm mới hơn: "
                              "hãy cập nhật phần mềm trước")
            digest.update(first)
            yield header
            width = None
            while line := _readline(stream):
                if line.startswith(b"["):
                    if width is None:
                        raise damaged("khối dòng trước tên bảng")
                    digest.update(line)
                    yield from decode_block(json.loads(line), width)
                    continue
                item = json.loads(line)
                if item.get("end"):
                    if item.get("sha256") != digest.hexdigest():
                        raise damaged("mã kiểm tra SHA-256 không khớp")
                    if stream.read(1):
                        raise damaged("có dữ liệu sau phần kết")
                    yield item
                    return
                digest.update(line)
                if not isinstance(item.get("columns"), list):
                    raise damaged("tên cột không đọc được")
                width = len(item["columns"])
                yield Section(item["table"], item["columns"])
            raise damaged("thiếu phần kết: tệp bị cắt cụt")
    except (lzma.LZMAError, EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        if isinstance(exc, (FileNotFoundError, PermissionError)):
            raise
        raise damaged(f"giải nén lỗi: {exc}") from None
    except (ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, Damaged):
            raise
        raise damaged(f"dòng không đọc được: {exc}") from None

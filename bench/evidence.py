"""Evidence (§7.4): the memory of a case file holding an image whose header claims 100,000 × 100,000 pixels.

    python -m bench.evidence --json

Prints one JSON object. `mediator case-file` runs in a child process whose peak RSS is read from the kernel
(`ru_maxrss` of the child alone), once for a case holding the bomb and once — the floor — for the same case with
an ordinary 640 × 480 image in its place. Flat means the two are the same within a few MB: the bomb is never
decoded (a decoder would ask for 30 GB). Also the signature check's cost on ingest: `content_refusal` over
10 MiB evidence, beside the sha256 that ingest computes over the same bytes anyway.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.domain.evidence import content_refusal

NOW = "2026-11-01T05:00:00Z"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, rows: int) -> bytes:
    """A greyscale PNG claiming width × height pixels, with `rows` rows of real data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress((b"\x00" + bytes(range(256)) * (width // 256) + bytes(width % 256)) * rows, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def case_file_rss(folder: Path, name: str, image: bytes) -> dict[str, Any]:
    from tests.db.feeds import T0, evidence, opened, t, write_feed

    url = f"sqlite:///{folder / name}.db"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    feed = write_feed(folder / f"{name}.jsonl", [opened("E-1", "D-1", T0),
                                                evidence("E-2", "buyer", t(minutes=1), image, filename="photo.png")])
    base = [sys.executable, "-m", "mediator_app.cli", "--db", url, "--json", "--now", NOW]
    subprocess.run(base + ["ingest", str(feed)], check=True, capture_output=True)
    started = time.perf_counter()
    proc = subprocess.Popen(base + ["case-file", "D-1", "--out", str(folder / f"{name}.pdf")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ,
                                                                                   "QT_QPA_PLATFORM": "offscreen"})
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    return {"image_bytes": len(image), "seconds": round(time.perf_counter() - started, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def signature_cost(repeats: int = 20) -> dict[str, Any]:
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(10 * 1024 * 1024 - 8)
    started = time.perf_counter()
    for _ in range(repeats):
        assert content_refusal("image/png", data) is None
    check = (time.perf_counter() - started) / repeats
    started = time.perf_counter()
    for _ in range(repeats):
        hashlib.sha256(data).hexdigest()
    floor = (time.perf_counter() - started) / repeats
    return {"evidence_mib": 10, "signature_check_us": round(check * 1e6, 2), "sha256_floor_us": round(floor * 1e6),
            "ratio_to_sha256": round(check / floor, 6)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bomb = case_file_rss(folder, "bomb", png(100_000, 100_000, 20))
        floor = case_file_rss(folder, "floor", png(640, 480, 480))
    result = {"machine": f"{platform.node()} {os.cpu_count()} cores {platform.python_version()}",
              "case_file_with_100000x100000_png": bomb, "floor_case_file_with_640x480_png": floor,
              "rss_difference_mb": round(bomb["peak_rss_mb"] - floor["peak_rss_mb"], 1),
              "ingest_signature_check": signature_cost()}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Peak memory of ingesting one hostile mail, next to one ordinary mail, each in a fresh process.

    python benchmarks/memory.py [--shape NAME]

Each shape is built and ingested by `helpdesk ingest`'s full pipeline (`services.ingestor`: masking,
parsing, the router, SLA clocks, acknowledgement, storage) into a fresh SQLite database, in a
subprocess of its own, which reads the mail from a file (as `helpdesk ingest` does) and then
reports its peak resident set size (`ru_maxrss`): the mail's own bytes count, building it does not. The figure that
matters is the difference to the ordinary mail's peak in the same run: at most 300 MB for any mail
(issue 17). The router's model is trained once, in a first subprocess, and loaded by the others.
The sizes sit under or at `[storage] max_message_bytes` (50 MB by default), plus one over it.
"""
from __future__ import annotations

import argparse
import base64
import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inbox.ingest import RawMail, summarize  # noqa: E402
from services import Services  # noqa: E402
from tickets.config import Config, DatabaseConfig, RoutingConfig, StorageConfig  # noqa: E402

MB = 1024 * 1024
LIMIT_MB = 300
HEAD = (b"From: Dana Fox <dana@example.com>\r\nTo: support@aeropressmall.com\r\nSubject: %s\r\n"
        b"Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <%s@example.com>\r\nMIME-Version: 1.0\r\n")


def ordinary() -> bytes:
    return (HEAD % (b"Where is my order AP-123456?", b"ordinary") + b"Content-Type: text/plain\r\n\r\n"
            + b"Hi,\r\n\r\nmy parcel has not arrived yet. Could you check where it is?\r\n\r\nDana\r\n")


def one_line(size: int) -> bytes:
    words = b"refund please my aeropress arrived broken "
    return (HEAD % (b"Broken", b"line") + b"Content-Type: text/plain\r\n\r\n"
            + words * (size // len(words)) + b"\r\n")


def one_word(size: int) -> bytes:
    return HEAD % (b"Word", b"word") + b"Content-Type: text/plain\r\n\r\n" + b"a" * size + b"\r\n"


def many_parts(count: int) -> bytes:
    part = b"--b\r\nContent-Type: text/plain\r\n\r\npart of a very long mail\r\n"
    return (HEAD % (b"Parts", b"parts") + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + part * count
            + b"--b--\r\n")


def attachment(size: int) -> bytes:
    data = base64.encodebytes(os.urandom(size)).replace(b"\n", b"\r\n")
    return (HEAD % (b"Photos", b"attachment") + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
            b"--b\r\nContent-Type: text/plain\r\n\r\nPhotos attached.\r\n--b\r\nContent-Type: image/jpeg\r\n"
            b'Content-Disposition: attachment; filename="photo.jpg"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            + data + b"--b--\r\n")


SHAPES: dict[str, Callable[[], bytes]] = {
    "ordinary mail": ordinary,
    "one 40 MB line": lambda: one_line(40 * MB),
    "one 10 MB word": lambda: one_word(10 * MB),
    "10k MIME parts": lambda: many_parts(10_000),
    "attachment at the 50 MB limit": lambda: attachment(36 * MB),  # base64: 4/3 of it, just under 50 MB
    "50 MB attachment (over the limit)": lambda: attachment(50 * MB),
}


def ingest_one(shape: str, folder: Path) -> None:
    """In this (fresh) process: build the mail, ingest it, print its outcome and the peak RSS."""
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=f"sqlite:///{folder / shape}-{os.getpid()}.db"),
                                 storage=StorageConfig(path=str(folder / "files")),
                                 routing=RoutingConfig(model_path=str(folder / "router.joblib")))
    services = Services.build(config)
    ingestor = services.ingestor  # loads (the first time trains) the router before the mail exists
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    raw = (folder / f"{shape}.eml").read_bytes()  # built by the parent: only the mail's own bytes count here
    started = time.perf_counter()
    with services.sessions.begin() as session:
        outcomes = ingestor.ingest_batch(session, [RawMail(raw, shape)], "support")
    took = time.perf_counter() - started
    services.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    summary = summarize(outcomes)
    status = next(key for key in ("tickets_created", "quarantined", "duplicates") if summary[key])
    print(f"{peak} {before} {len(raw)} {took:.1f} {status}")


def measure(shape: str, folder: Path) -> tuple[int, int, int, float, str]:
    mail = folder / f"{shape}.eml"
    if not mail.exists():
        mail.write_bytes(SHAPES[shape]())
    done = subprocess.run([sys.executable, __file__, "--shape", shape, "--folder", str(folder)],
                          capture_output=True, text=True, check=True)
    peak, before, size, took, status = done.stdout.split()
    return int(peak), int(before), int(size), float(took), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), help="(internal) ingest this one shape here")
    parser.add_argument("--folder", help="(internal) the run's folder")
    args = parser.parse_args()
    if args.shape:
        ingest_one(args.shape, Path(args.folder))
        return
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        measure("ordinary mail", Path(tmp))  # trains and saves the router once, outside the figures
        base = measure("ordinary mail", Path(tmp))[0]
        print(f"{'mail':36} {'size':>9} {'peak RSS':>9} {'above ordinary':>15} {'seconds':>8}  outcome")
        worst = 0
        for shape in SHAPES:
            peak, _before, size, took, status = measure(shape, Path(tmp))
            worst = max(worst, peak - base)
            print(f"{shape:36} {size / MB:7.1f}MB {peak:7d}MB {peak - base:+13d}MB {took:8.1f}  {status}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"worst: {worst} MB above the ordinary mail's peak (target: at most {LIMIT_MB} MB) "
          f"-> {'PASS' if worst <= LIMIT_MB else 'FAIL'}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fetches a compression bomb from a running tarpit (fast interval) and measures what it costs.

usage: bomb.py PID PORT gzip|deflate
Reports: time from request to the complete head (the build, on the first request), agent RSS before/after, the
compressed size on the wire, and python3 zlib's time and output size to inflate it (what a crawler pays).
"""
import os, socket, sys, time, zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lib  # noqa: E402  (bench/lib.py)
from lib import rss_kib  # noqa: E402


def main():
    pid, port, coding = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    before = rss_kib(pid)
    s = socket.create_connection(("127.0.0.1", port))
    start = time.monotonic()
    s.sendall(f"GET / HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: {coding}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data or b"Content-Encoding" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("closed before the head")
        data += chunk
        if b"\r\n\r\n" in data and b"Content-Encoding" not in data.split(b"\r\n\r\n")[0] and data.count(b"\r\n\r\n") and b"Content-Length" in data:
            raise SystemExit("no Content-Encoding in head")
    head, body = data.split(b"\r\n\r\n", 1)
    built = time.monotonic() - start
    length = int(next(l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")))
    while len(body) < length:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        body += chunk
    served = time.monotonic() - start - built
    s.close()
    after = rss_kib(pid)
    t = time.monotonic()
    d = zlib.decompressobj(31 if coding == "gzip" else 15)
    out = 0
    for i in range(0, len(body), 1 << 16):
        out += len(d.decompress(body[i:i + (1 << 16)], 1 << 24))
        while d.unconsumed_tail:
            out += len(d.decompress(d.unconsumed_tail, 1 << 24))
    out += len(d.flush())
    inflate = time.monotonic() - t
    print(f"{coding}: head after {built:.2f}s (includes the one-time build), body {len(body)} bytes served in {served:.2f}s, "
          f"agent RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB; python3 zlib inflates to {out} bytes "
          f"({out / len(body):.0f}:1) in {inflate:.2f}s")


main()

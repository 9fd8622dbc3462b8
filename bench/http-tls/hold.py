#!/usr/bin/env python3
"""Holds N loopback connections to a running tarpit-agent and reports its memory per held connection.

usage: hold.py PID PORT http|tls N SETTLE_SECONDS
Each connection sends one request (an HTTP GET or a TLS 1.2/1.3 ClientHello, as curl would), so it is verified and
held by the mode; RSS (VmRSS of the agent) is read before and after, after a full GC-friendly settle time.
"""
import os, socket, struct, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lib  # noqa: E402  (bench/lib.py)
from lib import rss_kib  # noqa: E402


def client_hello():
    ext = b""
    sni = b"bench.example"
    ext += struct.pack("!HHHBH", 0, len(sni) + 5, len(sni) + 3, 0, len(sni)) + sni
    ext += struct.pack("!HHH", 10, 4, 2) + b"\x00\x1d"
    ext += struct.pack("!HHB", 11, 2, 1) + b"\x00"
    ext += struct.pack("!HH", 23, 0)
    ext += struct.pack("!HHB", 0xFF01, 1, 0)
    ext += struct.pack("!HHB", 43, 5, 4) + b"\x03\x04\x03\x03"
    suites = [0x1301, 0x1302, 0xC02F, 0xC030, 0xC02B, 0x009C, 0x002F]
    body = b"\x03\x03" + os.urandom(32) + b"\x20" + os.urandom(32)
    body += struct.pack("!H", 2 * len(suites)) + b"".join(struct.pack("!H", s) for s in suites)
    body += b"\x01\x00" + struct.pack("!H", len(ext)) + ext
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def main():
    pid, port, kind, n, settle = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    lib.raise_fd_limit(n + 1024)
    payload = b"GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: hold.py\r\nAccept-Encoding: gzip\r\n\r\n" if kind == "http" else client_hello()
    time.sleep(1)
    before = rss_kib(pid)
    socks = []
    started = time.monotonic()
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port))
        s.sendall(payload)
        socks.append(s)
    opened = time.monotonic() - started
    time.sleep(settle)
    after = rss_kib(pid)
    held = n
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1, socket.MSG_PEEK) == b"":
                held -= 1
        except BlockingIOError:
            pass
        except OSError:
            held -= 1
    for s in socks:
        s.close()
    print(f"{kind}: {n} connections opened in {opened:.1f}s, {held} still held after {settle:.0f}s; "
          f"agent RSS {before / 1024:.1f} MiB -> {after / 1024:.1f} MiB = {(after - before) * 1024 / n:.0f} bytes per connection")


main()

#!/usr/bin/env python3
"""Holds N completed TLS connections to a running tarpit-agent's handshake-drip tarpit and reports its memory per held
connection.

usage: held_tls.py PID PORT N SETTLE_SECONDS
Each connection completes a real TLS handshake (Python's ssl, OpenSSL; TLS 1.3 as curl would negotiate) and sends one
GET, so it is held by the HTTP drip inside TLS; RSS (VmRSS of the agent) is read before and after the settle time.
"""
import os, socket, ssl, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lib
from lib import rss_kib

def main():
    pid, port, n, settle = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    lib.raise_fd_limit(n + 1024)
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    time.sleep(1)
    before = rss_kib(pid)
    socks = []; t0 = time.monotonic()
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        t = ctx.wrap_socket(s, server_hostname="bench.example")
        t.sendall(b"GET / HTTP/1.1\r\nHost: bench.example\r\nUser-Agent: held_tls.py\r\n\r\n")
        socks.append(t)
    took = time.monotonic() - t0
    time.sleep(settle)
    after = rss_kib(pid)
    print(f"{n} held in {took:.1f} s; RSS {before/1024:.1f} -> {after/1024:.1f} MiB: {(after-before)*1024/n:,.0f} B per held connection, {socks[0].version()}")
    for t in socks: t.close()
main()

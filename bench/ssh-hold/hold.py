#!/usr/bin/env python3
"""Holds N TCP connections to a tarpit and measures the tarpit process from /proc.

Prints one JSON object: RSS idle (before connecting), RSS after the first --warm connections (the code and data a
server pages in once, on its first accepts, are then in), RSS with N held, the marginal RSS per connection beyond the
warm ones (what each further held connection costs), and CPU per line (user+sys time of the server process over a
window, divided by the LF-terminated lines all held connections received in that window).
Every connection keeps reading, so the server's sends never stall. Bounded: it gives up after --timeout seconds.
"""
import argparse, json, os, select, socket, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lib  # noqa: E402  (bench/lib.py)
from lib import cpu_seconds, rss_kib, server_socket_bytes, tcp_sockstat_pages  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--settle", type=float, default=10.0)
    p.add_argument("--window", type=float, default=30.0)
    p.add_argument("--timeout", type=float, default=300.0)
    p.add_argument("--sample-every", type=float, default=0.0,
                   help="also sample RSS, open descriptors and CPU per line of the server this often during the window (a soak)")
    p.add_argument("--warm", type=int, default=100,
                   help="connections held first, settled for a second, before the warm RSS is read")
    p.add_argument("--push", type=int, default=0,
                   help="this many of the clients keep sending (64 KiB offered per second each, never blocking)")
    a = p.parse_args()
    if a.count > 19000:
        sys.exit("hold.py: at most 19000 connections (the fd hard limit is 20000)")
    lib.raise_fd_limit(20000)
    deadline = time.monotonic() + a.timeout

    rss_idle = rss_kib(a.pid)
    sockstat_idle = tcp_sockstat_pages()
    chunk = b"x" * 65536
    pushers = []

    def push():
        for s in pushers:
            try:
                s.send(chunk)
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                pass
    ep = select.epoll()
    socks = {}
    lines = 0
    received = 0
    closed = 0

    def pump(timeout):
        nonlocal lines, received, closed
        for fd, ev in ep.poll(timeout, 4096):
            s = socks.get(fd)
            if s is None:
                continue
            try:
                data = s.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                ep.unregister(fd); s.close(); del socks[fd]; closed += 1
                continue
            received += len(data)
            lines += data.count(b"\n")

    rss_warm = None
    for i in range(a.count):
        if i == min(a.warm, a.count):
            warm_end = time.monotonic() + 1.0
            while time.monotonic() < warm_end:
                pump(0.2)
            rss_warm = rss_kib(a.pid)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", a.port))
        s.setblocking(False)
        if i < a.push:
            # A bounded send buffer of its own, so that /proc/net/sockstat (both ends: loopback) is not all the client.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
            pushers.append(s)
        socks[s.fileno()] = s
        ep.register(s.fileno(), select.EPOLLIN)
        if i % 500 == 499:
            pump(0)
        if time.monotonic() > deadline:
            sys.exit("hold.py: timed out while connecting")
    settle_end = time.monotonic() + a.settle
    next_push = 0.0
    while time.monotonic() < settle_end:
        if time.monotonic() >= next_push:
            push(); next_push = time.monotonic() + 1.0
        pump(0.2)
    held = len(socks)
    rss_held = rss_kib(a.pid)
    sockstat_held = tcp_sockstat_pages()
    server_bytes, server_sockets = server_socket_bytes(a.port)

    lines0, cpu0, t0 = lines, cpu_seconds(a.pid), time.monotonic()
    samples = []
    sample_lines, sample_cpu, next_sample = lines0, cpu0, t0 + a.sample_every
    while time.monotonic() < t0 + a.window:
        if time.monotonic() >= next_push:
            push(); next_push = time.monotonic() + 1.0
        pump(0.2)
        if a.sample_every > 0 and time.monotonic() >= next_sample:
            cpu = cpu_seconds(a.pid)
            samples.append({
                "t_s": round(time.monotonic() - t0), "held": len(socks), "rss_kib": rss_kib(a.pid),
                "fds": len(os.listdir(f"/proc/{a.pid}/fd")),
                "cpu_per_line_us": round((cpu - sample_cpu) / max(1, lines - sample_lines) * 1e6, 2)})
            sample_lines, sample_cpu, next_sample = lines, cpu, next_sample + a.sample_every
    lines1, cpu1, t1 = lines, cpu_seconds(a.pid), time.monotonic()

    per_line_us = (cpu1 - cpu0) / max(1, lines1 - lines0) * 1e6
    print(json.dumps({
        "requested": a.count,
        "held": held,
        "closed_by_server": closed,
        "rss_idle_kib": rss_idle,
        "rss_held_kib": rss_held,
        "rss_per_connection_bytes": round((rss_held - rss_idle) * 1024 / max(1, held)),
        "rss_warm_kib": rss_warm,
        "rss_marginal_per_connection_bytes":
            round((rss_held - rss_warm) * 1024 / max(1, held - a.warm)) if rss_warm is not None else None,
        "pushing": len(pushers),
        "sockstat_tcp_pages_idle": sockstat_idle,
        "sockstat_tcp_pages_held": sockstat_held,
        "sockstat_per_connection_bytes": round((sockstat_held - sockstat_idle) * 4096 / max(1, held)),
        "server_sockets": server_sockets,
        "server_socket_bytes_per_connection": round(server_bytes / max(1, server_sockets)),
        "total_per_connection_bytes": round((rss_held - rss_idle) * 1024 / max(1, held) + server_bytes / max(1, server_sockets)),
        "window_s": round(t1 - t0, 1),
        "lines": lines1 - lines0,
        "cpu_s": round(cpu1 - cpu0, 3),
        "cpu_per_line_us": round(per_line_us, 2),
        "samples": samples,
    }))
    for s in socks.values():
        s.close()

if __name__ == "__main__":
    main()

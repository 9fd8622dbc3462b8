#!/usr/bin/env python3
"""N loopback clients trickle an unfinished request head into a running tarpit-agent, 1 byte per client per tick.

usage: trickle.py PID PORT http|tls|silent N SECONDS [TICK_MS=10]
Every client connects, then sends one byte of its head every TICK_MS (HTTP: a request line, a Host and a User-Agent,
then one header line that never ends; TLS: a ClientHello record whose declared length is never reached), for SECONDS
(bounded: under the agent's 60 s header/hello timeout, so no client is closed meanwhile). `silent` clients connect
and send nothing: the engine's own cost per held connection, beside which the trickling session's cost shows. Reads the agent's CPU
(process and its tarpit-scheduler thread) and VmRSS over the window, and how many bytes each client really sent (one
Python loop drives every socket, so on a loaded machine a tick can slip: the achieved rate is printed).
"""
import os, socket, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lib  # noqa: E402  (bench/lib.py)
from lib import cpu_seconds, rss_kib  # noqa: E402

HTTP_HEAD = b"GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: trickle.py\r\nX-Trickle: "


def tls_head():
    # A ClientHello record that announces 16,000 bytes and never delivers them: the handshake header, then padding.
    body_len = 16000 - 4
    return b"\x16\x03\x01" + (16000).to_bytes(2, "big") + b"\x01" + body_len.to_bytes(3, "big") + b"\x03\x03"


def scheduler_cpu(pid):
    """CPU seconds of the agent's tarpit-scheduler thread, or None when not found."""
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if not f.read().startswith("tarpit-schedul"):
                    continue
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return None


def byte_at(kind, i):
    head = HTTP_HEAD if kind == "http" else tls_head()
    if i < len(head):
        return head[i:i + 1]
    return b"a" if kind == "http" else b"\x00"  # an endless header value / hello body


def main():
    pid, port, kind, n, seconds = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    tick = (float(sys.argv[6]) if len(sys.argv) > 6 else 10.0) / 1000
    if seconds > 55:
        sys.exit("trickle.py: SECONDS must stay under the agent's 60 s header timeout")
    lib.raise_fd_limit(n + 1024)
    time.sleep(1)
    rss_before = rss_kib(pid)
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        socks.append(s)
    sent = [0] * n
    closed = 0
    cpu_before, sched_before = cpu_seconds(pid), scheduler_cpu(pid)
    started = time.monotonic()
    next_tick = started
    while time.monotonic() - started < seconds:
        for i, s in enumerate(socks):
            if s is None or kind == "silent":
                continue
            try:
                s.send(byte_at(kind, sent[i]))
                sent[i] += 1
            except BlockingIOError:
                pass
            except OSError:
                socks[i] = None
                closed += 1
        next_tick += tick
        delay = next_tick - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    elapsed = time.monotonic() - started
    cpu_after, sched_after = cpu_seconds(pid), scheduler_cpu(pid)
    rss_after = rss_kib(pid)
    for s in socks:
        if s is not None:
            s.close()
    total = sum(sent)
    sched = "n/a" if sched_before is None or sched_after is None else f"{(sched_after - sched_before) * 100 / elapsed:.1f} %"
    print(f"{kind} trickle: {n} clients for {elapsed:.1f}s, {total / n / elapsed:.0f} bytes/s per client achieved "
          f"(target {1 / tick:.0f}), {total / n:.0f} bytes per head, {closed} closed by the agent; "
          f"agent CPU {(cpu_after - cpu_before) * 100 / elapsed:.1f} % of a core (scheduler thread {sched}); "
          f"RSS {rss_before / 1024:.1f} -> {rss_after / 1024:.1f} MiB = {(rss_after - rss_before) * 1024 / n:.0f} bytes per connection")


main()

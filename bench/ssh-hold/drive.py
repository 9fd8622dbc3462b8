#!/usr/bin/env python3
"""SSH-hold benchmark driver: opens N silent TCP clients to a tarpit, keeps reading what it drips, and measures the
server process (RSS, CPU, threads) from /proc while they are held. Prints one JSON object.

Usage: drive.py HOST PORT COUNT SETTLE_SECONDS WINDOW_SECONDS SERVER_PID
"""
import json
import os
import selectors
import socket
import sys
import time

host, port, count, settle, window, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
clock_ticks = os.sysconf("SC_CLK_TCK")


def proc_sample():
    status = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            status[key] = value.strip()
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / clock_ticks  # utime + stime (fields 14, 15 of stat)
    return {
        "rss_kib": int(status["VmRSS"].split()[0]),
        "threads": int(status["Threads"]),
        "cpu_s": cpu,
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
    }


sel = selectors.DefaultSelector()
idle = proc_sample()
received = 0
closed = 0
buffer = bytearray(65536)


def pump(timeout):
    global received, closed
    for key, _ in sel.select(timeout):
        s = key.fileobj
        try:
            n = s.recv_into(buffer)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            n = 0
        if n == 0:
            sel.unregister(s)
            s.close()
            closed += 1
        else:
            received += n


start = time.monotonic()
opened = 0
failed = 0
for i in range(count):
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    err = s.connect_ex((host, port))
    if err not in (0, 115):  # EINPROGRESS
        failed += 1
        s.close()
        continue
    sel.register(s, selectors.EVENT_READ)
    opened += 1
    if i % 256 == 255:
        pump(0)
connect_seconds = time.monotonic() - start

deadline = time.monotonic() + settle
while time.monotonic() < deadline:
    pump(0.2)

before = proc_sample()
received_before = received
deadline = time.monotonic() + window
while time.monotonic() < deadline:
    pump(0.2)
after = proc_sample()

held = opened - closed
print(json.dumps({
    "clients": count,
    "opened": opened,
    "connect_failed": failed,
    "closed_by_server": closed,
    "held": held,
    "connect_seconds": round(connect_seconds, 2),
    "idle_rss_kib": idle["rss_kib"],
    "held_rss_kib": after["rss_kib"],
    "rss_per_client_bytes": round((after["rss_kib"] - idle["rss_kib"]) * 1024 / max(held, 1)),
    "cpu_percent_while_holding": round(100 * (after["cpu_s"] - before["cpu_s"]) / window, 2),
    "threads": after["threads"],
    "server_fds": after["fds"],
    "bytes_dripped_in_window": received - received_before,
}))

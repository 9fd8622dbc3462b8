#!/usr/bin/env python3
"""A burst of COUNT offenders (198.18.0.1 onwards) in one write to LOG, which the agent in namespace NS follows
(max_retry 1: one sshd line, one ban). Measures the local time until all COUNT are in the agent's nft set (`nft
monitor` in NS timestamps each element; a listing every 5 s covers events the monitor drops), and, with --lapi-db,
the time until the LAPI's SQLite database holds COUNT decisions of ORIGIN (read-only queries every 0.2 s). Prints
one JSON object. The line format is bench/ban-latency/drive.py's (Debian 12 sshd, traditional syslog prefix).
"""
import argparse
import ipaddress
import json
import os
import re
import sqlite3
import subprocess
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("--ns", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--bound", type=float, default=120)
parser.add_argument("--lapi-db")
parser.add_argument("--origin")
args = parser.parse_args()

base = ipaddress.IPv4Address("198.18.0.1")
offenders = [str(base + i) for i in range(args.count)]
wanted = set(offenders)
element = re.compile(r"^(?:add|create) element inet tarpit offenders_v4 \{ ([0-9.]+)[ }]")
seen = {}
lock = threading.Lock()
all_seen = threading.Event()


def monitor(proc):
    for raw in proc.stdout:
        now = time.monotonic()
        m = element.match(raw)
        if m and m.group(1) in wanted:
            with lock:
                if m.group(1) not in seen:
                    seen[m.group(1)] = now
                    if len(seen) == len(wanted):
                        all_seen.set()


def nft_count():
    out = subprocess.run(["ip", "netns", "exec", args.ns, "nft", "-j", "list", "set", "inet", "tarpit", "offenders_v4"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        return 0
    for item in json.loads(out.stdout)["nftables"]:
        if "set" in item:
            return len(item["set"].get("elem", []))
    return 0


lapi = {"in_lapi": None, "lapi_all_s": None}


def lapi_poll(start, deadline):
    db = sqlite3.connect(f"file:{args.lapi_db}?mode=ro", uri=True, timeout=5)
    try:
        while time.monotonic() < deadline:
            try:
                (n,) = db.execute("select count(*) from decisions where origin = ?", (args.origin,)).fetchone()
            except sqlite3.OperationalError:
                n = lapi["in_lapi"] or 0  # locked by the LAPI's writer for longer than 5 s: ask again
            lapi["in_lapi"] = n
            if n >= args.count:
                lapi["lapi_all_s"] = round(time.monotonic() - start, 3)
                return
            time.sleep(0.2)
    finally:
        db.close()


proc = subprocess.Popen(["ip", "netns", "exec", args.ns, "stdbuf", "-oL", "nft", "monitor"],
                        stdout=subprocess.PIPE, text=True, bufsize=1)
threading.Thread(target=monitor, args=(proc,), daemon=True).start()
time.sleep(0.5)  # the monitor subscribes before the burst is written
pid = os.getpid()
stamp = time.strftime("%b %e %H:%M:%S")
text = "".join(f"{stamp} bench sshd[{pid + i}]: Failed password for root from {a} port {30000 + i % 30000} ssh2\n"
               for i, a in enumerate(offenders))
try:
    start = time.monotonic()
    deadline = start + args.bound
    poller = None
    if args.lapi_db:
        poller = threading.Thread(target=lapi_poll, args=(start, deadline), daemon=True)
        poller.start()
    with open(args.log, "a") as log:
        log.write(text)
    polled = 0
    while time.monotonic() < deadline and not all_seen.is_set():
        all_seen.wait(min(5.0, max(0.0, deadline - time.monotonic())))
        if not all_seen.is_set():
            polled = nft_count()
            if polled >= args.count:
                break
    listed_at = time.monotonic()
    with lock:
        monitored, last = len(seen), (max(seen.values()) if seen else None)
    if monitored >= args.count:
        local_s = last - start
    elif polled >= args.count:
        local_s = listed_at - start  # found complete by a listing: an upper bound
    else:
        local_s = None
    if poller:
        poller.join(max(0.0, deadline - time.monotonic()))
finally:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
result = {"offenders": args.count, "in_set": max(monitored, polled), "local_all_s": round(local_s, 3) if local_s else None,
          "monitored": monitored, "bound_s": args.bound}
if args.lapi_db:
    result.update(lapi)
print(json.dumps(result))

#!/usr/bin/env python3
"""Starts one bouncer (the command after --) inside namespace NS and measures its startup snapshot: the time from
its start until its nft set holds COUNT elements, and its RSS once settled. COUNT decisions for 198.18.0.1 onwards
are in the LAPI (COUNT = 0: an empty LAPI, the RSS baseline: the set exists, then SETTLE seconds).

Completion is followed by `nft monitor` in the namespace (started before the bouncer), counting the distinct addresses
of the range in its add/create element lines for the set; once all are seen, or when the monitor has seen nothing new
for 2 s (netlink may drop events in a burst), a full listing confirms the count (then listings every 0.5 s). Never
polled by `nft get element` or listings while the set fills: nft 1.0.6 answers `get element` by dumping the whole set
(1.4 s of CPU at 100,000 elements, measured), so polling it every 50 ms took about one of the machine's two cores from
what it measured. Prints one JSON object; the process is stopped (TERM, then KILL after 30 s).
"""
import argparse
import ipaddress
import json
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import lib  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--label", required=True)
parser.add_argument("--ns", required=True)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--family", required=True)
parser.add_argument("--table", required=True)
parser.add_argument("--set", required=True)
parser.add_argument("--bound", type=float, default=120)
parser.add_argument("--settle", type=float, default=3)
parser.add_argument("--out", required=True, help="file for the process's output")
parser.add_argument("command", nargs=argparse.REMAINDER)
args = parser.parse_args()
command = args.command[1:] if args.command[:1] == ["--"] else args.command


def nft(*words):
    return subprocess.run(["ip", "netns", "exec", args.ns, "nft", *words], capture_output=True, text=True, timeout=60)


def count_elements():
    out = nft("-j", "list", "set", args.family, args.table, args.set)
    if out.returncode != 0:
        return -1
    for item in json.loads(out.stdout)["nftables"]:
        if "set" in item:
            return len(item["set"].get("elem", []))
    return 0


def hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


base = ipaddress.IPv4Address("198.18.0.1")
wanted = {str(base + i) for i in range(args.count)}
seen = set()
seen_lock = threading.Lock()
last_new = [time.monotonic()]
element = re.compile(r"^(?:add|create) element (\S+) (\S+) (\S+) \{ (.*)")
address = re.compile(r"\b\d+\.\d+\.\d+\.\d+\b")


def follow(monitor):
    for raw in monitor.stdout:
        m = element.match(raw)
        if not m or (m.group(1), m.group(2), m.group(3)) != (args.family, args.table, args.set):
            continue
        found = [a for a in address.findall(m.group(4)) if a in wanted]
        with seen_lock:
            before = len(seen)
            seen.update(found)
            if len(seen) > before:
                last_new[0] = time.monotonic()


def monitored():
    with seen_lock:
        return len(seen), last_new[0]


monitor = subprocess.Popen(["ip", "netns", "exec", args.ns, "stdbuf", "-oL", "nft", "monitor"],
                           stdout=subprocess.PIPE, text=True, bufsize=1)
threading.Thread(target=follow, args=(monitor,), daemon=True).start()
time.sleep(0.5)  # the monitor subscribes before the bouncer starts
out = open(args.out, "w")
start = time.monotonic()
# `ip netns exec` execs the command: this pid is the bouncer's.
proc = subprocess.Popen(["ip", "netns", "exec", args.ns, *command], stdout=out, stderr=subprocess.STDOUT)
result = {"label": args.label, "count": args.count}
try:
    deadline = start + args.bound
    set_at = None
    while time.monotonic() < deadline and proc.poll() is None:
        if nft("list", "set", args.family, args.table, args.set).returncode == 0:
            set_at = time.monotonic()
            break
        time.sleep(0.05)
    if set_at is None:
        raise SystemExit(f"{args.label}: no set {args.family} {args.table} {args.set} within {args.bound} s (exit {proc.poll()})")
    result["set_s"] = round(set_at - start, 3)
    done_at = None
    if args.count:
        while time.monotonic() < deadline and proc.poll() is None:
            count, newest = monitored()
            if count >= args.count:
                done_at = time.monotonic()
                break
            if count > 0 and time.monotonic() - newest > 2:
                break
            time.sleep(0.01)
        while done_at is None and time.monotonic() < deadline and proc.poll() is None:
            listed_at = time.monotonic()
            if count_elements() >= args.count:
                done_at = listed_at
                break
            time.sleep(0.5)
        result["all_s"] = round(done_at - start, 3) if done_at is not None else None
    time.sleep(args.settle)
    if proc.poll() is not None:
        raise SystemExit(f"{args.label}: exited ({proc.returncode}); see {args.out}")
    result["in_set"] = count_elements()
    result["rss_kib"] = lib.rss_kib(proc.pid)
    result["hwm_kib"] = hwm_kib(proc.pid)
    result["cpu_s"] = round(lib.cpu_seconds(proc.pid), 2)
finally:
    lib.stop(proc, 30)
    out.close()
    monitor.terminate()
    monitor.wait()
result["monitored"] = monitored()[0]
print(json.dumps(result))

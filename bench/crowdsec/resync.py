#!/usr/bin/env python3
"""Starts the agent (the command after --) inside namespace NS, follows its log, and samples its CPU every 0.25 s.
Each "CrowdSec startup snapshot" / "resync snapshot" line closes a snapshot; for each of RESYNCS resyncs, prints the
agent's CPU from the line before to its line (total), the CPU of the quiet window from 5 s after the line before to
5 s before the resync's pull starts (INTERVAL after it) (the changes pulls, the firewall loop), scaled to the whole gap, and the
difference: what the resync itself cost. Prints one JSON object; the agent is stopped (TERM, then KILL after 30 s).
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import lib  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--ns", required=True)
parser.add_argument("--resyncs", type=int, default=3)
parser.add_argument("--interval", type=float, required=True, help="the agent's resync_interval in seconds")
parser.add_argument("--out", required=True, help="file for the agent's output")
parser.add_argument("command", nargs=argparse.REMAINDER)
args = parser.parse_args()
command = args.command[1:] if args.command[:1] == ["--"] else args.command

out = open(args.out, "w")
proc = subprocess.Popen(["ip", "netns", "exec", args.ns, *command], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True, bufsize=1)
lines = []  # (monotonic time, cpu seconds, kind)
samples = []  # (monotonic time, cpu seconds)
done = threading.Event()


def follow():
    for line in proc.stdout:
        out.write(line)
        if "CrowdSec startup snapshot" in line or "CrowdSec resync snapshot" in line:
            lines.append((time.monotonic(), lib.cpu_seconds(proc.pid), "resync" if "resync" in line else "startup"))
            if len(lines) > args.resyncs:
                done.set()
    done.set()


threading.Thread(target=follow, daemon=True).start()


def cpu_at(t):
    """The sampled CPU nearest to monotonic time t."""
    return min(samples, key=lambda s: abs(s[0] - t))[1]


try:
    while not done.wait(0.25):
        samples.append((time.monotonic(), lib.cpu_seconds(proc.pid)))
    if len(lines) <= args.resyncs:
        raise SystemExit(f"the agent stopped after {len(lines)} snapshot lines (exit {proc.poll()}); see {args.out}")
    result = {"rss_kib": lib.rss_kib(proc.pid), "resyncs": []}
    for (t0, c0, _), (t1, c1, _) in zip(lines, lines[1:]):
        quiet_from, quiet_to = t0 + 5, t0 + max(args.interval - 5, 6)
        quiet = (cpu_at(quiet_to) - cpu_at(quiet_from)) / (quiet_to - quiet_from) * (t1 - t0)
        result["resyncs"].append({"gap_s": round(t1 - t0, 2), "total_cpu_s": round(c1 - c0, 2),
                                  "quiet_cpu_s": round(quiet, 2), "resync_cpu_s": round(c1 - c0 - quiet, 2)})
    result["cpu_s"] = round(lib.cpu_seconds(proc.pid), 2)
finally:
    lib.stop(proc, 30)
    out.close()
print(json.dumps(result))

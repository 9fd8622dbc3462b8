#!/usr/bin/env python3
"""Runs each command RUNS times, one after the other (inside the namespace the caller entered), with {N} in the
command replaced by a fresh number each run, and prints median, p90, min and max wall time in ms as JSON."""
import json
import subprocess
import sys
import time

runs = int(sys.argv[1])
first = int(sys.argv[2])
commands = sys.argv[3:]
n = first
result = {}
for command in commands:
    times = []
    failures = 0
    for _ in range(runs):
        argv = [a.replace("{N}", str(n)) for a in command.split(" ")]
        n += 1
        start = time.monotonic()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=60)
        times.append((time.monotonic() - start) * 1000)
        if done.returncode != 0:
            failures += 1
            sys.stderr.write(f"{argv}: exit {done.returncode}: {done.stderr.strip()[:300]}\n")
    times.sort()
    result[command] = {
        "runs": runs, "failures": failures,
        "median_ms": round(times[len(times) // 2], 1),
        "p90_ms": round(times[min(len(times) - 1, int(0.9 * len(times)))], 1),
        "min_ms": round(times[0], 1), "max_ms": round(times[-1], 1),
    }
print(json.dumps(result))

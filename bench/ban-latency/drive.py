#!/usr/bin/env python3
"""Drives one ban tool (tarpit-agent or fail2ban) that follows LOG and adds offenders to an nft set in namespace NS.

latency: for each of COUNT offenders (198.18.0.0/15, RFC 2544; addresses only appear in log text), write RETRY-1
sshd failure lines, then the deciding one, and note the time right after its write+flush; `nft monitor` in the
namespace timestamps each "add element" line (or "create element": how the agent sends new bans) as it is read.
latency = appearance - deciding write. Offenders are
paced (PACE ms apart) so latency, not throughput, is measured.

burst: all lines of COUNT offenders in one write; time until all COUNT are in the set (by the monitor, checked by
listing the set now and then), bounded by BOUND seconds.

Prints one JSON object. Lines are Debian 12 sshd messages with the traditional syslog prefix, which both the agent's
built-in sshd filter and fail2ban's stock filter.d/sshd.conf match.
"""
import argparse
import ipaddress
import json
import os
import re
import subprocess
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("--ns", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--table", required=True, help="nft table (inet family)")
parser.add_argument("--set", required=True, help="the set the tool adds offenders to")
parser.add_argument("--mode", choices=["latency", "burst"], required=True)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--retry", type=int, default=3)
parser.add_argument("--pace-ms", type=float, default=15)
parser.add_argument("--bound", type=float, default=60, help="seconds to wait after the last write")
args = parser.parse_args()

base = ipaddress.IPv4Address("198.18.0.1")
offenders = [str(base + i) for i in range(args.count)]
element = re.compile(r"^(?:add|create) element inet (\S+) (\S+) \{ ([0-9.]+)[ }]")

seen = {}  # address -> monotonic time the monitor line was read
seen_lock = threading.Lock()
all_seen = threading.Event()
wanted = set(offenders)


def monitor(proc):
    for raw in proc.stdout:
        now = time.monotonic()
        m = element.match(raw)
        if not m or m.group(1) != args.table or m.group(2) != args.set:
            continue
        address = m.group(3)
        with seen_lock:
            if address in wanted and address not in seen:
                seen[address] = now
                if len(seen) == len(wanted):
                    all_seen.set()


def nft_count():
    """Elements in the set now, by listing it (used sparingly: it competes for the CPU)."""
    out = subprocess.run(["ip", "netns", "exec", args.ns, "nft", "-j", "list", "set", "inet", args.table, args.set],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        return 0
    for item in json.loads(out.stdout)["nftables"]:
        if "set" in item:
            return len(item["set"].get("elem", []))
    return 0


def line(address, n, pid):
    stamp = time.strftime("%b %e %H:%M:%S")
    port = 30000 + n
    if n % 2 == 0:
        body = f"Failed password for root from {address} port {port} ssh2"
    else:
        body = f"Failed password for invalid user admin from {address} port {port} ssh2"
    return f"{stamp} bench sshd[{pid}]: {body}\n"


proc = subprocess.Popen(["ip", "netns", "exec", args.ns, "stdbuf", "-oL", "nft", "monitor"],
                        stdout=subprocess.PIPE, text=True, bufsize=1)
reader = threading.Thread(target=monitor, args=(proc,), daemon=True)
reader.start()
time.sleep(0.5)  # the monitor subscribes before the first line is written

written = {}
log = open(args.log, "a", buffering=1 << 20)
pid = os.getpid()
try:
    if args.mode == "latency":
        for i, address in enumerate(offenders):
            log.write("".join(line(address, n, pid + i) for n in range(args.retry - 1)))
            log.flush()
            log.write(line(address, args.retry - 1, pid + i))
            log.flush()
            written[address] = time.monotonic()
            time.sleep(args.pace_ms / 1000)
        all_seen.wait(args.bound)
        latencies = sorted((seen[a] - written[a]) * 1000 for a in offenders if a in seen)

        def pct(p):
            if not latencies:
                return None
            return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1)

        result = {
            "mode": "latency", "offenders": args.count, "appeared": len(latencies),
            "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": round(latencies[-1], 1) if latencies else None,
            "bound_s": args.bound, "pace_ms": args.pace_ms,
        }
    else:
        text = "".join(line(a, n, pid + i) for i, a in enumerate(offenders) for n in range(args.retry))
        start = time.monotonic()
        log.write(text)
        log.flush()
        deadline = start + args.bound
        polled = 0
        while time.monotonic() < deadline and not all_seen.is_set():
            all_seen.wait(min(5.0, max(0.0, deadline - time.monotonic())))
            if not all_seen.is_set():
                polled = nft_count()  # the monitor may drop events (netlink ENOBUFS) in a burst
                if polled >= args.count:
                    break
        with seen_lock:
            monitored = len(seen)
            last = max(seen.values()) if seen else None
        final = max(monitored, polled)
        if monitored >= args.count:
            elapsed = last - start
        elif final >= args.count:
            elapsed = time.monotonic() - start  # found complete by a listing: an upper bound
        else:
            elapsed = None
            final = max(final, nft_count())
        result = {
            "mode": "burst", "offenders": args.count, "lines": args.count * args.retry, "bytes": len(text),
            "in_set": final, "all_s": round(elapsed, 3) if elapsed is not None else None, "bound_s": args.bound,
            "monitored": monitored,
        }
        if elapsed is None and seen:
            result["last_seen_s"] = round(last - start, 3)
finally:
    log.close()
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()

print(json.dumps(result))

#!/usr/bin/env python3
"""A stand-in for the LAPI's decision stream, so that the agent's own part of a startup snapshot is measured without
the LAPI's time to build the answer: GET /v1/decisions/stream?startup=true answers COUNT Ip decisions for 198.18.0.1
onwards (the JSON CrowdSec 1.4.6 sends, built once before listening), every other GET the empty delta. Listens on
ADDRESS:PORT (run it inside the bench's namespace); prints "ready" once listening. With --count-down, each startup
answer is built when asked, every decision's time left counted down from when this started (as CrowdSec's LAPI answers
until − now), so that a bouncer's resync reads the same ends again.
"""
import argparse
import http.server
import ipaddress
import json
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--listen", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8080)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--count-down", action="store_true")
args = parser.parse_args()

base = ipaddress.IPv4Address("198.18.0.1")
started = time.monotonic()
left_s = 4 * 3600 - 1.876543211  # 3h59m58.123456789s at the start


def build(duration):
    decisions = [
        {"duration": duration, "id": i + 1, "origin": "cscli", "scenario": "bench/snapshot", "scope": "Ip",
         "type": "ban", "uuid": f"00000000-0000-4000-8000-{i:012d}", "value": str(base + i)}
        for i in range(args.count)
    ]
    return json.dumps({"deleted": None, "new": decisions}, separators=(",", ":")).encode()


def answer():
    if not args.count_down:
        return snapshot
    return build(f"{left_s - (time.monotonic() - started):.9f}s")


snapshot = build("3h59m58.123456789s")
empty = b'{"deleted":null,"new":null}'


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        body = answer() if "startup=true" in self.path else empty
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        pass


server = http.server.ThreadingHTTPServer((args.listen, args.port), Handler)
print(f"ready {len(snapshot)} bytes", flush=True)
server.serve_forever()

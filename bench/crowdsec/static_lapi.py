#!/usr/bin/env python3
"""A stand-in for the LAPI's decision stream, so that the agent's own part of a startup snapshot is measured without
the LAPI's time to build the answer: GET /v1/decisions/stream?startup=true answers COUNT Ip decisions for 198.18.0.1
onwards (the JSON CrowdSec 1.4.6 sends, built once before listening), every other GET the empty delta. Listens on
ADDRESS:PORT (run it inside the bench's namespace); prints "ready" once listening.
"""
import argparse
import http.server
import ipaddress
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--listen", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8080)
parser.add_argument("--count", type=int, required=True)
args = parser.parse_args()

base = ipaddress.IPv4Address("198.18.0.1")
decisions = [
    {"duration": "3h59m58.123456789s", "id": i + 1, "origin": "cscli", "scenario": "bench/snapshot", "scope": "Ip",
     "type": "ban", "uuid": f"00000000-0000-4000-8000-{i:012d}", "value": str(base + i)}
    for i in range(args.count)
]
snapshot = json.dumps({"deleted": None, "new": decisions}, separators=(",", ":")).encode()
empty = b'{"deleted":null,"new":null}'


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        body = snapshot if "startup=true" in self.path else empty
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

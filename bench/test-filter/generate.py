#!/usr/bin/env python3
"""Writes a realistic Debian 12 auth.log (rsyslog RFC 3339 prefix) of N lines to stdout: sshd failures from many
addresses (OpenSSH 9.2 and 9.8 wording, some hostile user names), accepted logins, PAM sessions, cron and sudo noise.
Deterministic (fixed seed) so runs compare."""
import random
import sys
from datetime import datetime, timedelta, timezone

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = random.Random(20261123)
start = datetime(2026, 11, 22, 0, 0, 0, tzinfo=timezone.utc)
step = timedelta(seconds=86400 / count)
attackers = [f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(20000)]
attackers += [f"2001:db8:{rng.randrange(65536):x}::{rng.randrange(65536):x}" for _ in range(2000)]
users = ["root", "admin", "ubuntu", "test", "oracle", "postgres", "git", "pi", "user", "guest", "ftpuser", "deploy"]
hostile = ["1.2.3.4", "x from 10.9.8.7 port 22", "a b c", "\\033[2J", "root from 192.0.2.1 port 1 ssh2"]
friends = ["198.51.100.10", "198.51.100.11", "203.0.113.20"]


def failure(ip, pid, port):
    user = rng.choice(users) if rng.random() > 0.02 else rng.choice(hostile)
    kind = rng.random()
    if kind < 0.30:
        return f"sshd[{pid}]: Invalid user {user} from {ip} port {port}"
    if kind < 0.55:
        return f"sshd[{pid}]: Failed password for invalid user {user} from {ip} port {port} ssh2"
    if kind < 0.70:
        return f"sshd[{pid}]: Failed password for root from {ip} port {port} ssh2"
    if kind < 0.75:
        return f"sshd[{pid}]: error: maximum authentication attempts exceeded for root from {ip} port {port} ssh2 [preauth]"
    if kind < 0.80:
        return f"sshd[{pid}]: Disconnecting authenticating user root {ip} port {port}: Too many authentication failures [preauth]"
    if kind < 0.90:
        return f"sshd[{pid}]: Connection closed by invalid user {user} {ip} port {port} [preauth]"
    return f"sshd[{pid}]: Received disconnect from {ip} port {port}:11: Bye Bye [preauth]"


def noise(pid):
    kind = rng.random()
    ip = rng.choice(friends)
    port = rng.randrange(1024, 65536)
    if kind < 0.25:
        return f"sshd[{pid}]: Accepted publickey for alice from {ip} port {port} ssh2: ED25519 SHA256:Yq8vQ3m2H3x2pVv7aA0s6eGf5mM3cQ8m8lYV0d7s3cE"
    if kind < 0.45:
        return f"sshd[{pid}]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)"
    if kind < 0.55:
        return f"sshd[{pid}]: pam_unix(sshd:session): session closed for user alice"
    if kind < 0.60:
        return f"sshd[{pid}]: Received disconnect from {ip} port {port}:11: disconnected by user"
    if kind < 0.80:
        return f"CRON[{pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
    if kind < 0.90:
        return f"systemd-logind[412]: New session {pid} of user alice."
    return f"sudo[{pid}]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt update"


# Attackers come in waves: a few hundred are active at any time, each replaced now and then by a fresh one.
active = attackers[:300]
out = sys.stdout
t = start
for i in range(count):
    t += step
    pid = rng.randrange(1000, 99999)
    if rng.random() < 0.002:
        active[rng.randrange(len(active))] = rng.choice(attackers)
    body = failure(rng.choice(active), pid, rng.randrange(1024, 65536)) if rng.random() < 0.55 else noise(pid)
    out.write(f"{t.strftime('%Y-%m-%dT%H:%M:%S.%f')}+00:00 web1 {body}\n")

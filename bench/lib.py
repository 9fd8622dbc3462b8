"""The helpers the Python drivers of bench/*/ share: what /proc says about the measured process, the fd limit, and
stopping a child it started. A driver imports it with
`sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))` then `import lib`."""
import os
import resource
import signal
import subprocess


def rss_kib(pid):
    """VmRSS of PID in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid):
    """User + system CPU time of PID so far, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tcp_sockstat_pages():
    """TCP "mem" of /proc/net/sockstat: pages of socket buffer the kernel has charged to TCP, all sockets of the host."""
    with open("/proc/net/sockstat") as f:
        for line in f:
            if line.startswith("TCP:"):
                fields = line.split()
                return int(fields[fields.index("mem") + 1])
    raise RuntimeError("no TCP line in /proc/net/sockstat")


def server_socket_bytes(port):
    """Socket memory of the established sockets whose local port is PORT (the server's side only), from `ss -tm`:
    per socket rmem_alloc + wmem_queued + forward_alloc (skmem r, w, f), summed; also how many sockets."""
    import re, subprocess
    out = subprocess.run(["ss", "-tmnH", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    total = count = 0
    for m in re.finditer(r"skmem:\(([^)]*)\)", out):
        fields = dict((k, int(v)) for k, v in re.findall(r"([a-z]+)(\d+)", m.group(1)))
        total += fields.get("r", 0) + fields.get("w", 0) + fields.get("f", 0)
        count += 1
    return total, count


def raise_fd_limit(wanted):
    """Raises the soft open-file limit to WANTED, capped at the hard limit; returns the new soft limit."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    soft = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


def stop(proc, grace_s=30):
    """Stops a child the bench started: SIGTERM, then SIGKILL after grace_s seconds; no-op when it already exited."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

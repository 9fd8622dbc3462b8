# The helpers every bench/*/run shares; source it after `cd` to the repo root: `. bench/lib.sh`.
# Sourcing it installs the cleanup trap: what bench_at_exit registers runs on exit, last registered first, also after
# a timeout or Ctrl-C (TERM and INT exit 143 so the EXIT trap runs).

bench_exit_actions=()

# bench_at_exit COMMAND: run COMMAND (a string, evaluated at exit, so variables are read then) when the script exits.
bench_at_exit() { bench_exit_actions+=("$1"); }

bench_run_exit_actions() {
  local i
  for ((i = ${#bench_exit_actions[@]} - 1; i >= 0; i--)); do eval "${bench_exit_actions[i]}" || true; done
}
trap bench_run_exit_actions EXIT
trap 'exit 143' TERM INT

# bench_fail NAME MESSAGE: print "NAME: MESSAGE" on stderr and exit 2 (the items' exit code for an unusable setup).
bench_fail() { echo "$1: $2" >&2; exit 2; }

# bench_need_root NAME WHY: exit 2 unless root.
bench_need_root() { [ "$(id -u)" = 0 ] || bench_fail "$1" "needs root ($2)"; }

# bench_need_tools NAME TOOL...: exit 2 naming the first tool that is not installed.
bench_need_tools() {
  local name=$1 tool; shift
  for tool in "$@"; do command -v "$tool" >/dev/null || bench_fail "$name" "$tool is not installed"; done
}

# bench_work_dir: sets `work` to a new temp dir, removed at exit.
bench_work_dir() {
  work=$(mktemp -d)
  bench_at_exit "rm -rf ${work@Q}"
}

# bench_stop PID [SECONDS=30]: TERM, wait at most SECONDS for it to exit, then KILL. An empty or gone PID is fine.
bench_stop() {
  local pid=$1 bound=${2:-30}
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  timeout "$bound" tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null || true
}

# bench_wait_until WHAT PID LOG SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds; fails (printing LOG)
# when PID exits first or SECONDS pass.
bench_wait_until() {
  local what=$1 pid=$2 log=$3 bound=$4 tries; shift 4
  for ((tries = bound * 10; tries > 0; tries--)); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$what exited:" >&2; cat "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "$what: not ready within $bound s ($*)" >&2
  cat "$log" >&2
  return 1
}

bench_listening() { ss -Hltn "sport = :$1" | grep -q LISTEN; }

# bench_wait_listen PORT PID LOG [SECONDS=30]: until something listens on TCP PORT (this namespace).
bench_wait_listen() { bench_wait_until "pid $2 (port $1)" "$2" "$3" "${4:-30}" bench_listening "$1"; }

# bench_wait_set NS TABLE SET PID LOG [SECONDS=60]: until `nft list set inet TABLE SET` works inside NS.
bench_wait_set() {
  bench_wait_until "pid $4 (set $2/$3 in $1)" "$4" "$5" "${6:-60}" ip netns exec "$1" nft list set inet "$2" "$3"
}

# bench_ns_up NS [PEER]: a network namespace NS with lo up, deleted at exit (bench_ns_down). With PEER, a second one
# joined to NS by a veth pair, 198.18.255.1/30 in NS and .2 in PEER (RFC 2544 benchmark range). The veth ends are
# created inside the namespaces, so their names (tpb0, tpb1) need be unique only there and stay within IFNAMSIZ.
bench_ns_up() {
  local ns=$1 peer=${2:-} n
  for n in "$ns" $peer; do
    bench_at_exit "bench_ns_down ${n@Q}"
    ip netns add "$n"
    ip -n "$n" link set lo up
  done
  [ -n "$peer" ] || return 0
  ip link add tpb0 netns "$ns" type veth peer name tpb1 netns "$peer"
  ip -n "$ns" addr add 198.18.255.1/30 dev tpb0
  ip -n "$peer" addr add 198.18.255.2/30 dev tpb1
  ip -n "$ns" link set tpb0 up
  ip -n "$peer" link set tpb1 up
}

# bench_ns_down NS: kills whatever still runs inside NS (a stray nft from fail2ban's actions), then deletes it.
bench_ns_down() {
  local pid
  for pid in $(ip netns pids "$1" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  ip netns del "$1" 2>/dev/null || true
}

# The namespace name the items use: tpbench-PID (the script's own pid, so parallel runs do not clash).
bench_ns_name() { echo "tpbench-$$"; }

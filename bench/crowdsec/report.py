#!/usr/bin/env python3
"""Prints bench/crowdsec/run's tables from the drivers' JSON objects (argument order: see the end of run)."""
import json
import sys

latency, agent_empty, fw_empty, agent, fw, push, posts, nopush = (json.loads(a) for a in sys.argv[1:9])
seed_s = float(sys.argv[9])
lapi_alone = json.loads(sys.argv[10])


def ms(v):
    return "-" if v is None else f"{v:,.0f}"


def s(v):
    return "not within the bound" if v is None else f"{v:,.2f} s"


def mib(kib):
    return "-" if kib is None else f"{kib / 1024:,.1f} MiB"


print(f"(a) Ban on host A -> redirect in host B's kernel: {latency['offenders']} offenders, one every {latency['pace_ms']:.0f} ms,"
      " B's pull_interval = 1s (log line on A -> element in B's nft set, by nft monitor in B)")
print(f"| {'':24} | {'tarpit-agent A -> B':>20} |")
print(f"|{'-' * 26}|{'-' * 21}:|")
print(f"| {'appeared within bound':24} | {latency['appeared']:>20} |")
for key, label in (("p50_ms", "p50 (ms)"), ("p99_ms", "p99 (ms)"), ("max_ms", "max (ms)")):
    print(f"| {label:24} | {ms(latency[key]):>20} |")
print(f"target: p50 <= 1,200 ms (pull_interval + 200 ms): {'met' if latency['p50_ms'] is not None and latency['p50_ms'] <= 1200 else 'MISSED'}")
print()
print(f"(b) Startup snapshot of {agent['count']:,} Ip decisions (seeded with cscli decisions import in {seed_s:,.1f} s)"
      " -> all in the bouncer's nft set, each started fresh against the same LAPI")
print(f"| {'':34} | {'tarpit-agent':>16} | {'cs-firewall-bouncer':>19} |")
print(f"|{'-' * 36}|{'-' * 17}:|{'-' * 20}:|")
print(f"| {'start -> set exists':34} | {s(agent['set_s']):>16} | {s(fw['set_s']):>19} |")
print(f"| {'start -> all in the set':34} | {s(agent['all_s']):>16} | {s(fw['all_s']):>19} |")
print(f"| {'LAPI alone: first byte / last':34} | {lapi_alone['first_byte_s']:>6.2f} / {lapi_alone['total_s']:.2f} s | {'(same LAPI)':>19} |")
print(f"| {'start -> all, minus the first byte':34} | {s(None if agent['all_s'] is None else agent['all_s'] - lapi_alone['first_byte_s']):>16} | {s(None if fw['all_s'] is None else fw['all_s'] - lapi_alone['first_byte_s']):>19} |")
print(f"| {'in the set at the end':34} | {agent['in_set']:>16,} | {fw['in_set']:>19,} |")
print(f"| {'RSS, empty LAPI (settled)':34} | {mib(agent_empty['rss_kib']):>16} | {mib(fw_empty['rss_kib']):>19} |")
print(f"| {'RSS after the snapshot (settled)':34} | {mib(agent['rss_kib']):>16} | {mib(fw['rss_kib']):>19} |")
print(f"| {'RSS growth':34} | {mib(agent['rss_kib'] - agent_empty['rss_kib']):>16} | {mib(fw['rss_kib'] - fw_empty['rss_kib']):>19} |")
print(f"| {'peak RSS (VmHWM)':34} | {mib(agent['hwm_kib']):>16} | {mib(fw['hwm_kib']):>19} |")
print(f"| {'CPU time until settled':34} | {agent['cpu_s']:>14} s | {fw['cpu_s']:>17} s |")
growth = (agent["rss_kib"] - agent_empty["rss_kib"]) / 1024
print(f"targets: all in nft <= 3 s: {'met' if agent['all_s'] is not None and agent['all_s'] <= 3 else 'MISSED'};"
      f" RSS growth <= 30 MB: {'met' if growth <= 30 else 'MISSED'}")
print()
print(f"(c) Burst of {push['offenders']:,} offenders in one write on host A (max_retry 1), pushed to the LAPI")
print(f"| {'':34} | {'push on':>16} | {'no [crowdsec]':>16} |")
print(f"|{'-' * 36}|{'-' * 17}:|{'-' * 17}:|")
print(f"| {'local: all in A nft':34} | {s(push['local_all_s']):>16} | {s(nopush['local_all_s']):>16} |")
print(f"| {'in A nft at the end':34} | {push['in_set']:>16,} | {nopush['in_set']:>16,} |")
print(f"| {'POST /v1/alerts (LAPI log)':34} | {posts:>16,} | {'-':>16} |")
print(f"| {'all decisions in the LAPI':34} | {s(push['lapi_all_s']):>16} | {'-':>16} |")
print(f"| {'decisions in the LAPI at the end':34} | {push['in_lapi'] or 0:>16,} | {'-':>16} |")
print(f"\nraw: {json.dumps(latency)} {json.dumps(agent_empty)} {json.dumps(fw_empty)} {json.dumps(agent)} {json.dumps(fw)}"
      f" {json.dumps(push)} posts={posts} {json.dumps(nopush)} {json.dumps(lapi_alone)}")

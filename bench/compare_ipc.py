#!/usr/bin/env python3
"""shmlab bench ipc against bench/ipc.c, measured in the same run.

usage: compare_ipc.py SHMLAB_JSON C_RESULTS OUT_MD

C_RESULTS holds lines "transport size one_way_ns" from bench/ipc.c (several
runs per point; the median is taken). shmlab's figure is its one-way median.
"""
import json
import statistics
import sys

NAMES = {"spin": ("shm", "spin"), "futex": ("shm", "futex"), "pipe": ("pipe", None), "unix-stream": ("unix-stream", None)}


def main():
    shm_json, c_txt, out = sys.argv[1:4]
    records = json.load(open(shm_json))["records"]
    c = {}
    for line in open(c_txt):
        t, size, ns = line.split()
        c.setdefault((t, int(size)), []).append(float(ns))
    rows = ["| transport | size | shmlab one-way (median) | C one-way (median of runs) | ratio |", "|---|---|---|---|---|"]
    for (t, size), values in sorted(c.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        transport, wake = NAMES[t]
        mine = [r for r in records if r["mode"] == "latency" and r["size"] == size and r["transport"] == transport
                and (wake is None or r.get("wake") == wake) and not r.get("zero_copy") and r.get("one_way_ns")]
        if not mine:
            continue
        ours = mine[0]["one_way_ns"]["median"]
        theirs = statistics.median(values)
        rows.append(f"| {t} | {size} | {ours:.1f} ns | {theirs:.1f} ns | {ours / theirs:.2f} |")
    text = "\n".join(rows) + "\n"
    open(out, "w").write(text)
    print(text, end="")


if __name__ == "__main__":
    main()

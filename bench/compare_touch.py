#!/usr/bin/env python3
"""Touch rate of `shmlab memory` against bench/touch.c, alternated.

usage: compare_touch.py SHMLAB TOUCH_C MIB ROUNDS OUT.md

For 4 KiB pages and 2 MiB huge pages, runs the C memset and shmlab's
`memory --backend mmap` ROUNDS times each, alternating, after one warm-up
round (the first touch of guest memory on a VM is far slower and would
decide the comparison). As root it raises vm.nr_hugepages for the huge
rows and restores the old value whatever happens. Prints and writes a
Markdown table of medians and the ratio shmlab / C.
"""
import json
import os
import statistics
import subprocess
import sys

NR = "/proc/sys/vm/nr_hugepages"


def c_touch(binary, mib, huge):
    args = [binary, str(mib)] + (["huge"] if huge else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return float(out.split("touch_ms=")[1].split()[0])


def shmlab_touch(binary, mib, huge):
    args = [binary, "memory", "--backend", "mmap", "--size", f"{mib}MiB", "--json", "-"]
    if huge:
        args += ["--huge", "2M"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return json.loads(out)["records"][0]["touch_ms"]


def main():
    shmlab, c, mib, rounds, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    rows = []
    old = open(NR).read().strip()
    try:
        for huge in (False, True):
            if huge:
                if os.geteuid() != 0:
                    rows.append(("2 MiB", None, None, "skipped: needs root to reserve huge pages"))
                    continue
                with open(NR, "w") as f:
                    f.write(str(int(old) + mib // 2))
            c_touch(c, mib, huge), shmlab_touch(shmlab, mib, huge)  # warm-up round
            cs, ours = [], []
            for _ in range(rounds):
                cs.append(c_touch(c, mib, huge))
                ours.append(shmlab_touch(shmlab, mib, huge))
            rows.append(("2 MiB" if huge else "4 KiB", statistics.median(ours), statistics.median(cs), ""))
    finally:
        with open(NR, "w") as f:
            f.write(old)
    lines = [f"| pages | shmlab touch ms | C memset ms | ratio | |", "|---|---|---|---|---|"]
    for pages, ours, cs, note in rows:
        if ours is None:
            lines.append(f"| {pages} | - | - | - | {note} |")
        else:
            gib = mib / 1024
            lines.append(
                f"| {pages} | {ours:.1f} ({gib / ours * 1e3:.2f} GiB/s) | {cs:.1f} ({gib / cs * 1e3:.2f} GiB/s) | {ours / cs:.2f} | |"
            )
    text = f"{mib} MiB, median of {rounds} alternated rounds after one warm-up round\n\n" + "\n".join(lines) + "\n"
    print(text)
    open(out_path, "w").write(text)


if __name__ == "__main__":
    main()

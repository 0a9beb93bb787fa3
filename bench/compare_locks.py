#!/usr/bin/env python3
"""Table for `make bench-locks`: shmlab's lock cost next to bench/locks.c's.

usage: compare_locks.py SHMLAB_JSON C_RESULTS OUT_MD

SHMLAB_JSON is `shmlab bench locks --json` output; C_RESULTS holds one line
per run of bench/locks.c (METHOD PROCS OPS NS_PER_OP FINAL EXPECTED). The
Markdown table goes to OUT_MD and to standard output. Ratio = shmlab / C:
above 1 is what shmlab's loop costs beyond the plain C loop.
"""

import json
import statistics
import sys
from collections import defaultdict

# shmlab lock -> the C methods to set it against. shmlab's `mutex` is the
# robust one, so its fair partner is C `mutex-robust`; it is also shown
# against the plain C `mutex` to make the robust attribute's price visible.
# named-sem is the same sem_t reached through /dev/shm, so C posix-sem is
# its floor. flock-inherited is a broken lock with no C counterpart.
PARTNERS = {
    "none": ["none"],
    "atomic": ["atomic"],
    "mutex": ["mutex-robust", "mutex"],
    "mutex-nonrobust": ["mutex"],
    "posix-sem": ["posix-sem"],
    "named-sem": ["posix-sem"],
    "sysv-sem": ["sysv-sem"],
    "flock": ["flock"],
    "fcntl": ["fcntl"],
    "ofd": ["ofd"],
}


def read_c(path):
    """(method, procs) -> list of ns/op, and the set of OPS values seen."""
    runs, ops_seen = defaultdict(list), set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 6:
                sys.exit(f"{path}:{n}: expected 6 fields, got {line!r}")
            method, procs, ops, ns, final, expected = fields
            if method != "none" and final != expected:
                sys.exit(f"{path}:{n}: C {method} lost updates: {final} of {expected}")
            runs[(method, int(procs))].append(float(ns))
            ops_seen.add(int(ops))
    return runs, ops_seen


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[2])
    json_path, c_path, out_path = sys.argv[1:]
    doc = json.load(open(json_path))
    records = doc["records"]
    c_runs, c_ops = read_c(c_path)

    # Same work on both sides, or the comparison means nothing.
    ops = {r["ops"] for r in records}
    if ops != c_ops or len(ops) != 1:
        sys.exit(f"ops per process differ: shmlab {sorted(ops)}, C {sorted(c_ops)}")

    lines = [
        "| lock | procs | shmlab ns/op (median) | C ns/op (median of 5) | ratio |",
        "|---|---|---|---|---|",
    ]
    for procs in sorted({r["procs"] for r in records}):
        for r in (r for r in records if r["procs"] == procs):
            for c_method in PARTNERS.get(r["lock"], []):
                c = c_runs.get((c_method, procs))
                if not c:
                    continue
                c_median = statistics.median(c)
                # Spell out the pairing wherever the names alone would
                # mislead: shmlab `mutex` is robust, C `mutex` is not.
                plain = c_method == r["lock"] and len(PARTNERS[r["lock"]]) == 1
                name = r["lock"] if plain else f"{r['lock']} vs C {c_method}"
                ratio = f"{r['ns_per_op'] / c_median:.2f}" if c_median > 0 else "n/a"
                if not r["exact"] and r["lock"] != "none":
                    ratio += " (shmlab lost updates!)"
                lines.append(f"| {name} | {procs} | {r['ns_per_op']:.1f} | {c_median:.1f} | {ratio} |")

    m = doc.get("machine", {})
    repeats = sorted({r["repeats"] for r in records})
    lines += [
        "",
        f"{ops.pop()} increments per process; shmlab median of {'/'.join(map(str, repeats))} repeats; "
        f"kernel {m.get('kernel', '?')}, {m.get('cpus', '?')} CPUs.",
    ]
    text = "\n".join(lines) + "\n"
    with open(out_path, "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()

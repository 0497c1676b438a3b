#!/usr/bin/env python3
"""Writes a linearizable lock history (docs/history-format.md) of about TARGET_MB megabytes.

Usage: generate_history.py OUT.json [TARGET_MB] [CLIENTS] [LOCKS] [PENDING_PERCENT] [SEED]

Each client issues operations one after another; each takes effect at a point inside its
interval, and results follow from the order of those points on a correct lock per name, so the
history is linearizable by construction. A pending operation took effect or not, at random.
Deterministic for a given seed (Python's random.Random is specified to be reproducible).
"""
import random
import sys


def main():
    out = sys.argv[1]
    target_mb = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    locks = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    pending_percent = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
    rng = random.Random(int(sys.argv[6]) if len(sys.argv) > 6 else 1)

    # About 100 bytes per operation line.
    count = int(target_mb * 1e6 / 100)
    client_time = [0] * clients
    planned = []
    for i in range(count):
        client = i % clients
        invoke = client_time[client] + rng.randrange(20)
        point = invoke + rng.randrange(50)
        ret = point + rng.randrange(50)
        client_time[client] = ret
        pending = rng.random() * 100 < pending_percent
        takes_effect = not pending or rng.randrange(2) == 0
        planned.append([client, rng.randrange(2) == 0, rng.randrange(locks), invoke,
                        None if pending else ret, point, takes_effect, None])
    held = [False] * locks
    for p in sorted(planned, key=lambda p: p[5]):
        if not p[6]:
            continue
        is_lock, lock = p[1], p[2]
        p[7] = (not held[lock]) if is_lock else held[lock]
        held[lock] = is_lock
    planned.sort(key=lambda p: p[3])
    with open(out, "w") as f:
        f.write('{"operations": [')
        for i, p in enumerate(planned):
            sep = "\n" if i == 0 else ",\n"
            op = "lock" if p[1] else "unlock"
            if p[4] is None:
                f.write('%s  {"client": %d, "op": "%s", "lock": "lock-%d", "invoke": %d, '
                        '"return": null}' % (sep, p[0], op, p[2], p[3]))
            else:
                f.write('%s  {"client": %d, "op": "%s", "lock": "lock-%d", "invoke": %d, '
                        '"return": %d, "result": %s}'
                        % (sep, p[0], op, p[2], p[3], p[4], "true" if p[7] else "false"))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()

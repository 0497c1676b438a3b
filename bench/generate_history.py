#!/usr/bin/env python3
"""Writes a lock history file (docs/history-format.md) for benchmarks: linearizable by
construction, or made not linearizable on purpose.

Usage: generate_history.py OUT.json [TARGET_MB] [CLIENTS] [LOCKS] [PENDING_PERCENT] [SEED]
                           [--ops N] [--pending-style null|absent] [--pretty]
                           [--names ascii|utf8|escaped] [--flip-one-lock] [--trailing-locks K]

Each client issues operations one after another; each takes effect at a point inside its
interval, and results follow from the order of those points on a correct lock per name, so the
history is linearizable by construction. A pending operation took effect or not, at random.

  --ops N              exactly N operations (TARGET_MB, default 20, is then ignored)
  --pending-style      how a pending operation is written: "null" (default) writes
                       "return": null; "absent" leaves out both "return" and "result"
  --pretty             one key per line, indented (the default is one operation per line)
  --names              lock names "lock-N" (ascii, the default), "lock-N-\u00e9" with the é
                       written as UTF-8 (utf8) or as a JSON escape (escaped)
  --flip-one-lock      flip the result of the completed Lock in the middle of the history
  --trailing-locks K   append K successful Locks of lock 0, one after the other, after the end

Deterministic for a given seed (Python's random.Random is specified to be reproducible).
"""
import argparse
import random


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("target_mb", nargs="?", type=float, default=20.0)
    parser.add_argument("clients", nargs="?", type=int, default=16)
    parser.add_argument("locks", nargs="?", type=int, default=64)
    parser.add_argument("pending_percent", nargs="?", type=float, default=1.0)
    parser.add_argument("seed", nargs="?", type=int, default=1)
    parser.add_argument("--ops", type=int)
    parser.add_argument("--pending-style", choices=["null", "absent"], default="null")
    parser.add_argument("--pretty", action="store_true")
    parser.add_argument("--names", choices=["ascii", "utf8", "escaped"], default="ascii")
    parser.add_argument("--flip-one-lock", action="store_true")
    parser.add_argument("--trailing-locks", type=int, default=0)
    return parser.parse_intermixed_args()


def plan(args, rng):
    # About 100 bytes per operation line.
    count = args.ops if args.ops is not None else int(args.target_mb * 1e6 / 100)
    client_time = [0] * args.clients
    planned = []
    for i in range(count):
        client = i % args.clients
        invoke = client_time[client] + rng.randrange(20)
        point = invoke + rng.randrange(50)
        ret = point + rng.randrange(50)
        client_time[client] = ret
        pending = rng.random() * 100 < args.pending_percent
        takes_effect = not pending or rng.randrange(2) == 0
        planned.append([client, rng.randrange(2) == 0, rng.randrange(args.locks), invoke,
                        None if pending else ret, point, takes_effect, None])
    held = [False] * args.locks
    for p in sorted(planned, key=lambda p: p[5]):
        if not p[6]:
            continue
        is_lock, lock = p[1], p[2]
        p[7] = (not held[lock]) if is_lock else held[lock]
        held[lock] = is_lock
    planned.sort(key=lambda p: p[3])
    if args.flip_one_lock:
        middle = len(planned) // 2
        victim = next(p for p in planned[middle:] if p[1] and p[4] is not None)
        victim[7] = not victim[7]
    end = max([p[4] for p in planned if p[4] is not None], default=0)
    for k in range(args.trailing_locks):
        invoke = end + 1 + 2 * k
        planned.append([args.clients + k, True, 0, invoke, invoke + 1, invoke, True, True])
    return planned


def main():
    args = parse_args()
    planned = plan(args, random.Random(args.seed))
    suffix = {"ascii": "", "utf8": "-\u00e9", "escaped": "-\\u00e9"}[args.names]
    with open(args.out, "w", encoding="utf-8") as f:
        f.write('{"operations": [')
        for i, p in enumerate(planned):
            fields = [("client", "%d" % p[0]), ("op", '"lock"' if p[1] else '"unlock"'),
                      ("lock", '"lock-%d%s"' % (p[2], suffix)), ("invoke", "%d" % p[3])]
            if p[4] is not None:
                fields += [("return", "%d" % p[4]), ("result", "true" if p[7] else "false")]
            elif args.pending_style == "null":
                fields += [("return", "null")]
            sep = "" if i == 0 else ","
            if args.pretty:
                body = ",\n".join('      "%s": %s' % kv for kv in fields)
                f.write('%s\n    {\n%s\n    }' % (sep, body))
            else:
                body = ", ".join('"%s": %s' % kv for kv in fields)
                f.write("%s\n  {%s}" % (sep, body))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()

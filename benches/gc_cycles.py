"""Cycle collection: rings, pairs and self-loops of instances, some with __del__, plus gc.collect()."""
import gc

ROUNDS = 280_000
COLLECT_EVERY = 500


class Plain:
    def __init__(self, tag):
        self.tag = tag
        self.peer = None


class Finalized(Plain):
    calls = 0
    tag_sum = 0

    def __del__(self):
        Finalized.calls += 1
        Finalized.tag_sum += self.tag


def ring(n, base, with_del):
    head = Finalized(base) if with_del else Plain(base)
    cur = head
    for k in range(1, n):
        nxt = Plain(base + k)
        cur.peer = nxt
        cur = nxt
    cur.peer = head


def pair(tag):
    a = Finalized(tag)
    b = Plain(tag + 1)
    a.peer = b
    b.peer = [a, {"back": a}]       # cycle through a list and a dict


def self_loop(tag):
    s = Finalized(tag)
    s.peer = s


explicit = 0
made = 0
for r in range(ROUNDS):
    ring(10, r, r % 3 == 0)
    if r % 3 == 0:
        made += 1
    pair(r)
    self_loop(r)
    made += 2
    if r % COLLECT_EVERY == COLLECT_EVERY - 1:
        gc.collect()
        explicit += 1
gc.collect()
gc.collect()
print("checksum", Finalized.calls, made, Finalized.tag_sum, explicit)

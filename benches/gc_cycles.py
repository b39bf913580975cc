"""The cycle collector at work: rings of instances, some with __del__, collected
automatically and by explicit gc.collect() calls."""
import gc

ROUNDS = 100000
RING = 20
finalized = [0]


class Node:
    def __init__(self, value):
        self.value = value
        self.next = None


class Finalized(Node):
    def __del__(self):
        finalized[0] += 1


def make_ring(n, with_del):
    first = Finalized(0) if with_del else Node(0)
    cur = first
    for i in range(1, n):
        node = Node(i)
        cur.next = node
        cur = node
    cur.next = first
    return first


collected = [0]


def on_gc(phase, info):
    # Every collection, automatic or explicit, reports what it freed.
    if phase == "stop":
        collected[0] += info["collected"]


gc.callbacks.append(on_gc)
explicit = 0
for r in range(ROUNDS):
    ring = make_ring(RING, r % 4 == 0)
    ring = None
    if r % 100 == 99:
        explicit += 1
        gc.collect()
gc.collect()
gc.callbacks.remove(on_gc)
print("checksum", collected[0], finalized[0], explicit)

"""Collection cost: one full collection of a heap of 1,000,000 containers (issue 6).

Builds 1,000,000 live container objects (lists and instances holding each other in
chains, no garbage), then times gc.collect() -- a full collection that must examine
every tracked object -- with time.perf_counter, best of three. Run under both
interpreters; the checksum line must agree.
"""
import gc
import time

class Node:
    def __init__(self, nxt):
        self.nxt = nxt

gc.disable()
heap = []
prev = None
for i in range(500000):
    prev = Node(prev) if i % 1000 else Node(None)
    heap.append([prev])
gc.collect()
best = None
for _ in range(3):
    t = time.perf_counter()
    n = gc.collect()
    t = time.perf_counter() - t
    best = t if best is None or t < best else best
print("checksum", len(heap), n)
print("full collection of 1,000,000 containers: %.1f ms" % (best * 1e3))

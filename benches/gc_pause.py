"""Collection cost: gen0 pauses with a large old generation (issue 5).

Builds 1,000,000 long-lived container objects, moves them to the oldest generation,
then creates short-lived reference cycles and records every automatic gen-0 collection's
pause through gc.callbacks and time.perf_counter. A gen-0 collection must not walk the
old generations, so its pause must not grow with the heap. Run under both interpreters
(python3 benches/gc_pause.py, pyvm run benches/gc_pause.py) and compare; the printed
checksum must agree.
"""
import gc
import time

class Node:
    def __init__(self, other=None):
        self.other = other

old = [[i] for i in range(1000000)]
gc.collect()
gc.collect()

pauses = []
start = [0.0]

def cb(phase, info):
    if info["generation"] != 0:
        return
    if phase == "start":
        start[0] = time.perf_counter()
    else:
        pauses.append(time.perf_counter() - start[0])

gc.callbacks.append(cb)
made = 0
for i in range(200000):
    a = Node()
    b = Node(a)
    a.other = b
    made += 1
gc.callbacks.remove(cb)
pauses.sort()
n = len(pauses)
print("checksum", made, len(old))
if n:
    print("gen0 collections: %d, median pause %.1f us, max %.1f us" % (n, pauses[n // 2] * 1e6, pauses[-1] * 1e6))

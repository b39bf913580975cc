"""Generators and sets: all solutions of the n-queens problem."""
N = 8


def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i in range(len(items)):
        rest = items[:i] + items[i + 1:]
        for p in permutations(rest):
            yield [items[i]] + p


def solve(n):
    cols = range(n)
    for vec in permutations(list(cols)):
        if n == len(set(vec[i] + i for i in cols)) == len(set(vec[i] - i for i in cols)):
            yield vec


total = 0
count = 0
for _ in range(18):
    for sol in solve(N):
        count += 1
        total += sum(i * v for i, v in enumerate(sol))
print("checksum", count, total)

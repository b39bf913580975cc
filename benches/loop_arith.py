"""A tight integer loop: + - * // % and comparisons on small ints."""
N = 15_000_000


def run(n):
    total = 0
    x = 7
    for i in range(n):
        x = (x * 31 + i) % 1_000_003
        if x > 500_000:
            total += x // 7
        else:
            total -= x % 13
    return total


print("checksum", run(N))

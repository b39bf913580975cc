"""Lists: every permutation (Heap's algorithm), counting prefix reversals until 0 leads."""
N = 9
REPEAT = 5


def flips_of(perm):
    p = perm[:]
    flips = 0
    first = p[0]
    while first != 0:
        p[:first + 1] = p[first::-1]
        flips += 1
        first = p[0]
    return flips


def fannkuch(n):
    perm = list(range(n))
    c = [0] * n
    best = flips_of(perm)
    signed = best
    sign = 1
    i = 1
    while i < n:
        if c[i] < i:
            if i % 2 == 0:
                perm[0], perm[i] = perm[i], perm[0]
            else:
                j = c[i]
                perm[j], perm[i] = perm[i], perm[j]
            sign = -sign
            f = flips_of(perm)
            if f > best:
                best = f
            signed += sign * f
            c[i] += 1
            i = 1
        else:
            c[i] = 0
            i += 1
    return signed, best


def rotations(n):
    # Rotations and whole-list reversal of a permuted list.
    items = list(range(n * 50))
    total = 0
    for k in range(2000):
        s = k % len(items)
        items = items[s:] + items[:s]
        items.reverse()
        total += items[0] - items[-1]
    return total


results = [fannkuch(N) for _ in range(REPEAT)]
signed, best = results[-1]
print("checksum", signed, best, rotations(N))

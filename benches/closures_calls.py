"""Closures, keyword arguments, defaults, *args and **kwargs."""
N = 2_200_000


def make_adder(k):
    def add(x, scale=1):
        return x * scale + k
    return add


def kw(a, b=2, *, c=3, d=4):
    return a + b * c - d


def star(*args, **kwargs):
    return len(args) + len(kwargs) + (args[0] if args else 0)


def counter():
    count = 0

    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc


def run(n):
    adders = [make_adder(k) for k in range(10)]
    inc = counter()
    total = 0
    for i in range(n):
        f = adders[i % 10]
        total += f(i) + f(i, scale=2)
        total += kw(i, c=5) + kw(1, 2, d=i % 3)
        total += star(i, 1, 2, x=1) + star()
        inc(2)
    return total + inc()


print("checksum", run(N))

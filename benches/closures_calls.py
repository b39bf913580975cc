"""Calls: closures, nonlocal, keyword and default arguments, *args/**kwargs forwarding."""
N = 800_000


def make_scaler(factor, offset=0):
    def scale(x, bias=0):
        return x * factor + offset + bias
    return scale


def make_counter(start=0):
    total = start

    def bump(by=1):
        nonlocal total
        total += by
        return total
    return bump


def compose(f, g):
    def both(*args, **kwargs):
        return f(g(*args, **kwargs))
    return both


def logged(fn, tally):
    # A decorator-style wrapper forwarding everything.
    def wrapper(*args, **kwargs):
        tally(1)
        return fn(*args, **kwargs)
    return wrapper


def area(width, height=2, *, depth=1, unit=1):
    return width * height * depth // unit


def gather(first, *rest, **opts):
    return first + len(rest) + sum(rest) + len(opts) + opts.get("extra", 0)


def run(n):
    tally = make_counter()
    scalers = [make_scaler(k, offset=k % 3) for k in range(8)]
    pipeline = compose(scalers[3], scalers[5])
    boxed = logged(area, tally)
    extra = {"extra": 4, "flag": 0}
    args = (1, 2, 3)
    acc = 0
    for i in range(n):
        s = scalers[i & 7]
        acc += s(i) + s(i, bias=1) + pipeline(i, bias=2)
        acc += boxed(i, depth=2) + boxed(i, 3, unit=2) + area(width=i, height=1)
        acc += gather(i) + gather(i, *args) + gather(i, 5, **extra) + gather(*args, extra=i)
        acc %= 1000000007
    return acc, tally(0)


print("checksum %d %d" % run(N))

"""Raising and catching in a loop: custom exception classes, try/except/else/finally."""
N = 2_000_000


class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__(key)
        self.key = key


def lookup(d, key):
    try:
        return d[key]
    except KeyError:
        raise NotFound(key) from None


def run(n):
    d = {i: i * 2 for i in range(0, 100, 3)}
    hits = misses = cleanups = 0
    for i in range(n):
        try:
            v = lookup(d, i % 100)
        except NotFound as e:
            misses += e.key % 5
        except AppError:
            raise
        else:
            hits += v
        finally:
            cleanups += 1
        try:
            if i % 7 == 0:
                raise ValueError(i)
        except ValueError as e:
            hits += e.args[0] % 3
    return hits, misses, cleanups


print("checksum %d %d %d" % run(N))

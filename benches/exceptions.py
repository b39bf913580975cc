"""Exceptions: raise/except in a loop with custom classes, re-raise, chaining, try/finally."""
N = 2_400_000


class ValidationError(Exception):
    def __init__(self, field, value):
        Exception.__init__(self, field, value)
        self.field = field
        self.value = value


class TooSmall(ValidationError):
    pass


class TooBig(ValidationError):
    pass


class Wrapped(Exception):
    pass


def check(value):
    if value < 10:
        raise TooSmall("v", value)
    if value > 90:
        raise TooBig("v", value)
    if value % 11 == 0:
        raise ValueError(value)
    return value


def guarded(value, log):
    try:
        try:
            return check(value)
        except ValueError as e:
            raise Wrapped("eleven") from e
        finally:
            log[0] += 1
    except TooBig:
        log[1] += 1
        raise


def run(n):
    log = [0, 0]
    small = big = wrapped = ok = 0
    x = 1
    for i in range(n):
        x = (x * 75 + 74) % 65537
        v = x % 101
        try:
            ok += guarded(v, log)
        except TooSmall as e:
            small += e.value
        except ValidationError as e:
            big += e.value - 90
        except Wrapped as e:
            wrapped += e.__cause__.args[0] // 11
        finally:
            ok += 1
        try:
            raise KeyError(i)
        except (IndexError, KeyError) as e:
            ok -= e.args[0] % 2
    return small, big, wrapped, ok, log[0], log[1]


print("checksum %d %d %d %d %d %d" % run(N))

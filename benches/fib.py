"""Recursive calls: fib(n) the slow way."""
N = 34


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print("checksum", fib(N))

"""Recursive function calls: naive doubly-recursive Fibonacci."""
N = 34


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    total = 0
    # Several calls of decreasing size so the call tree is not a single shape.
    for k in (N, N - 1, N - 2, N - 3, N - 4, N - 5):
        total += fib(k) * (k % 7 + 1)
    return total


print("checksum", main())

"""Tight integer loops: + - * // % and comparisons on small ints, no calls inside."""
N = 7_500_000


def mix(n):
    acc = 0
    a = 17
    b = 3
    for i in range(n):
        a = (a * 1103 + i) % 65521
        q = a // 17
        r = a % 17
        if q > r * 200:
            acc += q - r
        elif a >= 30000:
            acc = (acc + a * 3) % 1000000007
        else:
            acc -= r
        if b < a:
            b = b + a // 5
        else:
            b = b - a // 9
    return acc, b


def digits(n):
    # while-loop variant: digit sums and a running modular product.
    total = 0
    prod = 1
    i = 1
    while i <= n:
        x = i
        s = 0
        while x > 0:
            s += x % 10
            x //= 10
        total += s
        prod = (prod * (s + 1)) % 998244353
        i += 1
    return total, prod


a, b = mix(N)
t, p = digits(N // 6)
print("checksum", a, b, t, p)

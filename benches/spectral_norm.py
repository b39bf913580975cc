"""Float loops: power iteration for the spectral norm of A(i,j) = 1/((i+j)(i+j+1)/2+i+1)."""
import math

N = 600


def entry(i, j):
    s = i + j
    return 1.0 / (s * (s + 1) // 2 + i + 1)


def times_a(v, out):
    n = len(v)
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += entry(i, j) * v[j]
        out[i] = acc


def times_at(v, out):
    n = len(v)
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += entry(j, i) * v[j]
        out[i] = acc


def norm(n):
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(10):
        times_a(u, tmp)
        times_at(tmp, v)
        times_a(v, tmp)
        times_at(tmp, u)
    uv = 0.0
    vv = 0.0
    for i in range(n):
        uv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(uv / vv)


print("checksum %.9f" % norm(N))

"""Float arithmetic: an n-body simulation kept in parallel lists of floats."""
import math

BODIES = 20
STEPS = 24000
DT = 0.001
SOFT = 0.01


def lcg_floats(n, seed):
    out = []
    for _ in range(n):
        seed = (seed * 1664525 + 1013904223) % 4294967296
        out.append(seed / 4294967296.0 - 0.5)
    return out


def setup(n):
    xs = lcg_floats(n, 1)
    ys = lcg_floats(n, 2)
    zs = lcg_floats(n, 3)
    vx = [v * 0.1 for v in lcg_floats(n, 4)]
    vy = [v * 0.1 for v in lcg_floats(n, 5)]
    vz = [v * 0.1 for v in lcg_floats(n, 6)]
    mass = [1.0 + 0.5 * m for m in lcg_floats(n, 7)]
    return xs, ys, zs, vx, vy, vz, mass


def step(xs, ys, zs, vx, vy, vz, mass, dt):
    n = len(xs)
    for i in range(n):
        xi = xs[i]
        yi = ys[i]
        zi = zs[i]
        ax = ay = az = 0.0
        for j in range(n):
            if j == i:
                continue
            dx = xs[j] - xi
            dy = ys[j] - yi
            dz = zs[j] - zi
            d2 = dx * dx + dy * dy + dz * dz + SOFT
            f = mass[j] / (d2 * math.sqrt(d2))
            ax += dx * f
            ay += dy * f
            az += dz * f
        vx[i] += ax * dt
        vy[i] += ay * dt
        vz[i] += az * dt
    for i in range(n):
        xs[i] += vx[i] * dt
        ys[i] += vy[i] * dt
        zs[i] += vz[i] * dt


def energy(xs, ys, zs, vx, vy, vz, mass):
    n = len(xs)
    e = 0.0
    for i in range(n):
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i])
        for j in range(i + 1, n):
            dx = xs[i] - xs[j]
            dy = ys[i] - ys[j]
            dz = zs[i] - zs[j]
            e -= mass[i] * mass[j] / math.sqrt(dx * dx + dy * dy + dz * dz + SOFT)
    return e


state = setup(BODIES)
e0 = energy(*state)
for _ in range(STEPS):
    step(state[0], state[1], state[2], state[3], state[4], state[5], state[6], DT)
e1 = energy(*state)
print("checksum %.9f %.9f %.9f" % (e0, e1, sum(state[0]) + sum(state[4])))

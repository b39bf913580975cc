"""Float objects: many vectors with float attributes, math.sin/cos/sqrt, normalising, max."""
import math

COUNT = 100_000
ROUNDS = 11


class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def length(self):
        return math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)

    def unit(self):
        n = self.length()
        return Vec(self.x / n, self.y / n, self.z / n)

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def scaled(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)


def sphere_point(k, n):
    theta = math.pi * (k + 0.5) / n
    phi = 2.399963229728653 * k
    r = 1.0 + 0.25 * math.sin(k * 0.37)
    return Vec(r * math.sin(theta) * math.cos(phi),
               r * math.sin(theta) * math.sin(phi),
               r * math.cos(theta))


def run(n, shift):
    pts = [sphere_point(k + shift, n) for k in range(n)]
    units = [p.unit() for p in pts]
    axis = Vec(0.3, -0.5, 0.8).unit()
    longest = max(p.length() for p in pts)
    best = max(units, key=axis.dot)
    hi = Vec(max(u.x for u in units), max(u.y for u in units), max(u.z for u in units))
    mean = Vec(0.0, 0.0, 0.0)
    for u in units:
        mean.x += u.x
        mean.y += u.y
        mean.z += u.z
    mean = mean.scaled(1.0 / n)
    return longest + best.dot(axis) + hi.length() + mean.length()


total = 0.0
for r in range(ROUNDS):
    total += run(COUNT, r)
print("checksum %.9f" % round(total, 9))

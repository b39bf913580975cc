"""Allocation and freeing: binary trees of tuples, built and walked at several depths."""
MAX_DEPTH = 16


def make(depth):
    if depth == 0:
        return (None, None)
    depth -= 1
    return (make(depth), make(depth))


def check(node):
    left, right = node
    if left is None:
        return 1
    return 1 + check(left) + check(right)


def main(max_depth):
    total = check(make(max_depth + 1))
    long_lived = make(max_depth)
    for depth in range(4, max_depth + 1, 2):
        iterations = 2 ** (max_depth - depth + 4)
        for _ in range(iterations):
            total += check(make(depth))
    return total + check(long_lived)


print("checksum", main(MAX_DEPTH))

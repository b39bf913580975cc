"""Allocation and freeing: binary trees of small objects and of tuples, at several depths."""
MAX_DEPTH = 16


class Node:
    def __init__(self, left, right, item):
        self.left = left
        self.right = right
        self.item = item


def build(depth, item):
    if depth == 0:
        return Node(None, None, item)
    return Node(build(depth - 1, 2 * item), build(depth - 1, 2 * item + 1), item)


def weigh(node):
    if node.left is None:
        return node.item % 3
    return node.item % 5 + weigh(node.left) - weigh(node.right)


def count(node):
    if node.left is None:
        return 1
    return 1 + count(node.left) + count(node.right)


def build_tuple(depth):
    if depth == 0:
        return ()
    return (build_tuple(depth - 1), build_tuple(depth - 1))


def size_tuple(t):
    if not t:
        return 1
    return 1 + size_tuple(t[0]) + size_tuple(t[1])


def main(max_depth):
    keep = build(max_depth, 1)           # lives through the whole run
    total = 0
    depth = 4
    while depth <= max_depth:
        rounds = 1 << (max_depth - depth + 2)
        for i in range(rounds):
            tree = build(depth, i)
            total += count(tree) + weigh(tree)
            tree = None
            total += size_tuple(build_tuple(depth - 2))
        depth += 3
    return total, count(keep), weigh(keep)


print("checksum %d %d %d" % main(MAX_DEPTH))

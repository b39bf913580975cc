"""Generators and sets: count and fingerprint every n-queens solution by backtracking."""
SIZES = (6, 7, 8, 9, 10, 11, 12)
REPEAT = 2


def place(n, row, cols, up, down, board):
    # Recursive generator: yields each full board as a tuple of column indices.
    if row == n:
        yield tuple(board)
        return
    for c in range(n):
        if c in cols or (row + c) in up or (row - c) in down:
            continue
        cols.add(c)
        up.add(row + c)
        down.add(row - c)
        board.append(c)
        yield from place(n, row + 1, cols, up, down, board)
        board.pop()
        cols.discard(c)
        up.discard(row + c)
        down.discard(row - c)


def solutions(n):
    return place(n, 0, set(), set(), set(), [])


def fingerprint(sol):
    return sum((i + 1) * (c + 1) for i, c in enumerate(sol))


def main():
    count = 0
    total = 0
    distinct = 0
    for _ in range(REPEAT):
        for n in SIZES:
            prints = set()
            for sol in solutions(n):
                count += 1
                f = fingerprint(sol)
                total += f
                prints.add(f)
            distinct += len(prints)
    return count, total, distinct


print("checksum %d %d %d" % main())

"""Strings and dicts: split/join/upper/replace/format with dict get, setdefault and items."""
ROUNDS = 1800
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "pu", "an", "or"]


def make_text(lines, seed):
    out = []
    for _ in range(lines):
        words = []
        for _ in range(12):
            seed = (seed * 1103515245 + 12345) % 2147483648
            k = 1 + seed % 3
            words.append("".join(SYLLABLES[(seed >> (4 * m)) % 12] for m in range(k)))
        out.append(" ".join(words))
    return "\n".join(out)


def digest(s):
    # Order-dependent string checksum (hash() is salted, so not used).
    h = 0
    for ch in s:
        h = (h * 131 + ord(ch)) % 1000000007
    return h


def run(text):
    freq = {}
    where = {}
    for lineno, line in enumerate(text.split("\n")):
        for w in line.split(" "):
            freq[w] = freq.get(w, 0) + 1
            where.setdefault(w, []).append(lineno)
    by_count = {}
    for w, n in freq.items():
        by_count.setdefault(n, []).append(w.upper())
    rows = []
    for n in sorted(by_count):
        names = ",".join(sorted(by_count[n]))
        rows.append("{0:>4} {1}".format(n, names.replace("KA", "ka")))
    report = "\n".join(rows)
    first = {}
    for w, lines in where.items():
        key = "line-{}".format(lines[0])
        first[key] = first.get(key, "") + w[:2]
    return len(report) + len(first) + digest(report[:400]) + report.count("ka")


total = 0
text = make_text(400, 7)
for r in range(ROUNDS):
    total += run(text)
    text = text.replace("mi", "im", 1) if r % 2 else text.replace("im", "mi", 1)
print("checksum", total)

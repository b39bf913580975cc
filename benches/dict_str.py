"""String keys, dict methods and str methods: word counting and formatting."""
ROUNDS = 450
WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
         "omicron pi rho sigma tau upsilon phi chi psi omega").split()


def text(n):
    out = []
    x = 12345
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        out.append(WORDS[x % len(WORDS)])
    return " ".join(out)


def run():
    total = 0
    body = text(20000)
    for r in range(ROUNDS):
        counts = {}
        for w in body.split():
            counts[w] = counts.get(w, 0) + 1
        index = {}
        for w, c in counts.items():
            index.setdefault(c % 7, []).append(w.upper())
        lines = []
        for k in sorted(index):
            lines.append("{}: {}".format(k, ",".join(sorted(index[k]))))
        report = "\n".join(lines).replace("A", "a")
        total += len(report) + sum(counts.values()) + report.count("a") + len(body.replace("a", "aa"))
    return total


print("checksum", run())

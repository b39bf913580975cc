"""Memory introspection from inside a program (pyvm only; CPython has no such module,
so scripts guard the import). Built on the gc module.

    heap_summary()   live container objects by type, most numerous first
    why_alive(obj)   reference paths from module globals to obj, as strings such as
                     "global cache -> list[3] -> User"
"""

import gc as _gc
import sys as _sys


def _type_name(o):
    return type(o).__name__


def heap_summary():
    """{type name: number of live tracked objects}, most numerous first."""
    counts = {}
    for o in _gc.get_objects():
        n = _type_name(o)
        counts[n] = counts.get(n, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _edge(container, child):
    """How `container` refers to `child`: '[3]', "['key']", '.attr', or None."""
    if isinstance(container, dict):
        for k, v in container.items():
            if v is child:
                return "[%r]" % (k,)
        return None
    if isinstance(container, (list, tuple)):
        for i, v in enumerate(container):
            if v is child:
                return "[%d]" % i
        return None
    try:
        attrs = vars(container)
    except TypeError:
        return None
    for k, v in attrs.items():
        if v is child:
            return "." + k
    return None


def why_alive(obj, max_paths=3, max_depth=12):
    """Reference paths from module globals to obj (shortest first)."""
    module_dicts = {}
    for name, m in list(_sys.modules.items()):
        d = getattr(m, "__dict__", None)
        if isinstance(d, dict):
            module_dicts[id(d)] = (name, d)
    paths = []
    frontier = [(obj, [_type_name(obj)])]
    seen = {id(obj)}
    ignore = {id(frontier), id(seen), id(paths), id(module_dicts)}
    for _ in range(max_depth):
        next_frontier = []
        ignore.add(id(next_frontier))
        for cur, path in frontier:
            referrers = _gc.get_referrers(cur)
            ignore.add(id(referrers))
            for ref in referrers:
                if id(ref) in ignore or id(ref) in seen:
                    continue
                if id(ref) in module_dicts:
                    mname, d = module_dicts[id(ref)]
                    for k, v in d.items():
                        if v is cur:
                            where = "global" if mname == "__main__" else mname
                            paths.append(" -> ".join(["%s %s" % (where, k)] + path))
                            break
                    if len(paths) >= max_paths:
                        return paths
                    continue
                label = _edge(ref, cur)
                if label is None or type(ref).__name__ in ("frame", "function", "module"):
                    continue
                seen.add(id(ref))
                next_frontier.append((ref, [_type_name(ref) + label] + path))
        frontier = next_frontier
        if not frontier:
            break
    return paths


# ---------------------------------------------------------------------------------
# Exit reports of `pyvm run --leaks` and `pyvm run --heap-graph OUT`. The CLI calls
# these just before shutdown (after the program, before atexit and module teardown),
# so they see what the program left reachable. They walk strong references only
# (gc.get_referents) from the roots: module globals of the program's own modules and
# the data attributes of the classes defined there. Functions, classes, modules and
# code objects are not followed: they are the program, not its data.

_ModuleType = type(_sys)
_FunctionType = type(_type_name)
_BuiltinType = type(len)
_CodeType = type(_type_name.__code__)
_OPAQUE = (_ModuleType, _FunctionType, _BuiltinType, _CodeType, type, staticmethod, classmethod, property)


def _shared(o):
    # Singletons and small ints are shared by the whole interpreter (CPython caches
    # them too): owned by no one, so never counted as retained.
    if o is None or o is True or o is False:
        return True
    return type(o) is int and -5 <= o <= 256


def _dirname(path):
    i = path.rfind("/")
    return path[:i] if i >= 0 else ""


def _program_modules():
    """(label prefix, module) for __main__ and the modules imported from the main
    script's directory (the program's own; not the standard library)."""
    out = []
    main = _sys.modules.get("__main__")
    if main is None:
        return out
    out.append(("global ", main))
    mf = getattr(main, "__file__", None)
    if not isinstance(mf, str) or mf.startswith("<"):
        return out
    home = _dirname(mf)
    for name, m in list(_sys.modules.items()):
        if m is main or name == "pyvm":
            continue
        f = getattr(m, "__file__", None)
        if isinstance(f, str) and f.endswith(".py") and _dirname(f) == home:
            out.append((name + ".", m))
    return out


def _roots():
    """(label, object) for every binding that can retain the program's data."""
    roots = []
    for prefix, m in _program_modules():
        for name, v in list(vars(m).items()):
            if name.startswith("__") and name.endswith("__"):
                continue
            if isinstance(v, type) and getattr(v, "__module__", None) == m.__name__:
                for k, cv in list(vars(v).items()):
                    if k.startswith("__") or isinstance(cv, _OPAQUE) or _shared(cv):
                        continue
                    roots.append(("class %s.%s" % (name, k) if prefix == "global " else "class %s%s.%s" % (prefix, name, k), cv))
                continue
            if isinstance(v, _OPAQUE) or _shared(v):
                continue
            roots.append((prefix + name, v))
    return roots


def _label(container, child):
    """How `container` refers to `child` in a path ('[3]', "['k']", '.attr'), or ''."""
    e = _edge(container, child)
    if e is not None:
        return e
    if isinstance(container, dict) and any(k is child for k in container):
        return "<key>"
    if isinstance(container, (set, frozenset)):
        return "{}"
    return ""


def _walk(roots, claimed, limit=None):
    """Breadth-first over strong references from each root in turn. An object belongs
    to the first root that reaches it. Yields (root index, obj, parent, label)."""
    for ri, (_, start) in enumerate(roots):
        if id(start) in claimed:
            continue
        claimed[id(start)] = start
        frontier = [(start, None, "")]
        while frontier:
            nxt = []
            for obj, parent, label in frontier:
                yield ri, obj, parent, label
                if isinstance(obj, _OPAQUE):
                    continue
                children = _gc.get_referents(obj)
                if type(obj) in (list, tuple):
                    children.reverse()      # traversal visits items last to first
                for child in children:
                    if _shared(child) or id(child) in claimed or isinstance(child, _OPAQUE):
                        continue
                    claimed[id(child)] = child
                    nxt.append((child, obj, None))
            frontier = nxt


def _leaks_report(top=10):
    """The text of `pyvm run --leaks`: top retainers, each with the objects and bytes it
    keeps alive and the reference path to a typical one of them."""
    roots = _roots()
    claimed = {}
    stats = []          # per root: [objects, bytes, {type: count}, parents]
    for _ in roots:
        stats.append([0, 0, {}, {}])
    for ri, obj, parent, _ in _walk(roots, claimed):
        s = stats[ri]
        s[0] += 1
        try:
            s[1] += _sys.getsizeof(obj)
        except TypeError:
            pass
        t = _type_name(obj)
        s[2][t] = s[2].get(t, 0) + 1
        if parent is not None:
            s[3][id(obj)] = parent
    rows = [(s[0], s[1], roots[i][0], i) for i, s in enumerate(stats) if s[0]]
    rows.sort(key=lambda r: (-r[0], -r[1], r[2]))
    out = ["", "== objects kept alive from roots at exit (--leaks) =="]
    if not rows:
        out.append("(none)")
        return "\n".join(out) + "\n"
    total_o = sum(r[0] for r in rows)
    total_b = sum(r[1] for r in rows)
    out.append("%9s %11s  %s" % ("objects", "bytes", "root"))
    for n, b, label, i in rows[:top]:
        out.append("%9s %11s  %s" % (format(n, ","), format(b, ","), label))
        types = sorted(stats[i][2].items(), key=lambda kv: (-kv[1], kv[0]))
        out.append("%23s%s" % ("", ", ".join("%d %s" % (c, t) for t, c in types[:5])))
        target = _typical(roots[i][1], stats[i][3], claimed, types)
        if target is not None:
            out.append("%23spath: %s" % ("", _render_path(label, roots[i][1], target, stats[i][3])))
    if len(rows) > top:
        out.append("%9s %11s  (%d more roots)" % ("", "", len(rows) - top))
    out.append("%9s %11s  total, %d roots" % (format(total_o, ","), format(total_b, ","), len(rows)))
    return "\n".join(out) + "\n"


def _typical(root, parents, claimed, types):
    """A representative retained object: one of the most numerous user-defined type
    (an instance of a class of the program), else of the most numerous type."""
    user = [t for t, _ in types if t not in _BUILTIN_NAMES]
    want = user[0] if user else types[0][0]
    if _type_name(root) == want:
        return root
    for oid in parents:
        o = claimed.get(oid)
        if o is not None and _type_name(o) == want:
            return o
    return None


_BUILTIN_NAMES = {"list", "dict", "tuple", "set", "frozenset", "str", "bytes", "bytearray",
                  "int", "float", "complex", "bool", "NoneType", "cell", "method", "generator",
                  "TextIOWrapper", "BufferedReader", "BufferedWriter", "FileIO", "slice",
                  "range", "weakref.ReferenceType", "ReferenceType", "object"}


def _render_path(root_label, root, target, parents):
    chain = [target]
    o = target
    while o is not root:
        o = parents.get(id(o))
        if o is None:
            break
        chain.append(o)
    chain.reverse()
    parts = []
    for a, b in zip(chain, chain[1:]):
        parts.append(_type_name(a) + _label(a, b))
    parts.append(_type_name(chain[-1]))
    return " -> ".join([root_label] + parts)


def _short_repr(o, width=28):
    """A repr that fits a graph node and does not vary between runs: default reprs
    (with an address) become the instance's simple attributes, e.g. 'n=3 name='a''."""
    try:
        r = repr(o)
    except Exception:
        r = "<%s>" % _type_name(o)
    if " at 0x" in r:
        if isinstance(o, (list, tuple, dict, set, frozenset)):
            r = "len=%d" % len(o)
        else:
            try:
                attrs = vars(o)
            except TypeError:
                attrs = {}
            r = " ".join("%s=%r" % (k, v) for k, v in attrs.items()
                         if type(v) in (int, float, str, bool) or v is None)
    return r if len(r) <= width else r[:width - 3] + "..."


def _dot_escape(s):
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _heap_graph(limit=200):
    """The DOT text of `pyvm run --heap-graph`: the objects reachable from the roots
    (at most `limit`), labelled with type, short repr and refcount; edges labelled with
    the attribute, index or key; reference cycles in red."""
    roots = _roots()
    claimed = {}
    objs = []
    index = {}
    edges = []           # (from index, to index, label)
    root_edges = []      # (root label, to index)
    truncated = False
    walker = _walk(roots, claimed)
    for ri, obj, parent, _ in walker:
        if len(objs) >= limit:
            truncated = True
            break
        index[id(obj)] = len(objs)
        objs.append(obj)
        if parent is None:
            root_edges.append((roots[ri][0], index[id(obj)]))
    # Drop every reference the walk holds, so the refcounts below are the program's.
    walker.close()
    del walker, roots, obj, parent
    # All edges among the shown objects, not only the tree edges of the walk.
    o = child = children = None
    for i in range(len(objs)):
        o = objs[i]
        if isinstance(o, _OPAQUE):
            continue
        children = _gc.get_referents(o)
        if type(o) in (list, tuple):
            children.reverse()
        for child in children:
            j = index.get(id(child))
            if j is not None:
                edges.append((i, j, _label(o, child)))
    del claimed, child, o, children
    in_cycle = _cycle_members(len(objs), edges)
    lines = ["digraph heap {",
             '  graph [rankdir=LR, fontname="Helvetica"];',
             '  node [shape=box, fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=9];']
    for k, (label, j) in enumerate(root_edges):
        lines.append('  r%d [label="%s", shape=plaintext];' % (k, _dot_escape(label)))
        lines.append("  r%d -> n%d;" % (k, j))
    for i in range(len(objs)):
        # Two references are the walk's own: objs[i] and getrefcount's argument.
        rc = _sys.getrefcount(objs[i]) - 2
        text = "%s\n%s\nrefcnt %d" % (_type_name(objs[i]), _short_repr(objs[i]), rc)
        style = ", color=red, penwidth=2" if in_cycle[i] else ""
        lines.append('  n%d [label="%s"%s];' % (i, _dot_escape(text), style))
    for i, j, label in edges:
        attrs = []
        if label:
            attrs.append('label="%s"' % _dot_escape(label))
        if in_cycle[i] and in_cycle[j] and _same_scc(i, j):
            attrs.append("color=red, penwidth=2")
        lines.append("  n%d -> n%d%s;" % (i, j, " [%s]" % ", ".join(attrs) if attrs else ""))
    if truncated:
        lines.append('  more [label="node limit %d reached", shape=plaintext];' % limit)
    lines.append("}")
    return "\n".join(lines) + "\n"


_scc_of = []


def _cycle_members(n, edges):
    """Tarjan's strongly connected components (iterative); a node is in a cycle if its
    component has two or more nodes or it refers to itself."""
    global _scc_of
    succ = [[] for _ in range(n)]
    self_loop = [False] * n
    for i, j, _ in edges:
        succ[i].append(j)
        if i == j:
            self_loop[i] = True
    idx = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack = []
    counter = 0
    ncomp = 0
    for s in range(n):
        if idx[s] != -1:
            continue
        work = [(s, 0)]
        while work:
            v, pi = work.pop()
            if pi == 0:
                idx[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            recurse = False
            for k in range(pi, len(succ[v])):
                w = succ[v][k]
                if idx[w] == -1:
                    work.append((v, k + 1))
                    work.append((w, 0))
                    recurse = True
                    break
                if on_stack[w]:
                    low[v] = min(low[v], idx[w])
            if recurse:
                continue
            if low[v] == idx[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = ncomp
                    if w == v:
                        break
                ncomp += 1
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    sizes = [0] * ncomp
    for c in comp:
        sizes[c] += 1
    _scc_of = comp
    return [sizes[comp[i]] > 1 or self_loop[i] for i in range(n)]


def _same_scc(i, j):
    return _scc_of[i] == _scc_of[j]

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

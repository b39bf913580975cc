"""Binary min-heaps on lists (pyvm's own implementation of the algorithm CPython uses,
so heap layouts, and therefore printed heaps, are identical)."""

__all__ = ["heappush", "heappop", "heapify", "heapreplace", "merge", "nlargest",
           "nsmallest", "heappushpop"]


def _sift_toward_root(heap, start, pos):
    # The item at pos moves up while its parent is larger.
    item = heap[pos]
    while pos > start:
        parent_pos = (pos - 1) >> 1
        parent = heap[parent_pos]
        if item < parent:
            heap[pos] = parent
            pos = parent_pos
            continue
        break
    heap[pos] = item


def _sift_toward_leaves(heap, pos):
    # Move the smaller child up until a leaf is reached, then settle the item.
    end = len(heap)
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _sift_toward_root(heap, start, pos)


# CPython's names for the two sifts (some code outside the module uses them).
_siftdown = _sift_toward_root
_siftup = _sift_toward_leaves


def _check_list(heap, func, which="argument 1"):
    # The C functions accept lists only.
    if not isinstance(heap, list):
        raise TypeError("%s() %s must be list, not %s" % (func, which, type(heap).__name__))


def heappush(heap, item):
    """Push item onto heap, keeping the heap invariant."""
    _check_list(heap, "heappush")
    heap.append(item)
    _sift_toward_root(heap, 0, len(heap) - 1)


def heappop(heap):
    """Pop and return the smallest item."""
    _check_list(heap, "heappop", "argument")
    if not heap:
        raise IndexError("index out of range")
    last = heap.pop()
    if heap:
        top = heap[0]
        heap[0] = last
        _sift_toward_leaves(heap, 0)
        return top
    return last


def heapreplace(heap, item):
    """Pop the smallest item, then push item (the heap must not be empty)."""
    _check_list(heap, "heapreplace")
    if not heap:
        raise IndexError("index out of range")
    top = heap[0]
    heap[0] = item
    _sift_toward_leaves(heap, 0)
    return top


def heappushpop(heap, item):
    """Push item, then pop the smallest item; faster than the two calls."""
    _check_list(heap, "heappushpop")
    if heap and heap[0] < item:
        item, heap[0] = heap[0], item
        _sift_toward_leaves(heap, 0)
    return item


def heapify(x):
    """Turn list x into a heap, in place, in linear time."""
    _check_list(x, "heapify", "argument")
    for i in reversed(range(len(x) // 2)):
        _sift_toward_leaves(x, i)


# ----- max-heaps (private in CPython too; used by code that needs them) --------------------

def _siftdown_max(heap, start, pos):
    # The item at pos moves up while its parent is smaller.
    item = heap[pos]
    while pos > start:
        parent_pos = (pos - 1) >> 1
        parent = heap[parent_pos]
        if parent < item:
            heap[pos] = parent
            pos = parent_pos
            continue
        break
    heap[pos] = item


def _siftup_max(heap, pos):
    # Move the larger child up until a leaf is reached, then settle the item.
    end = len(heap)
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[right] < heap[child]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _siftdown_max(heap, start, pos)


def _heapify_max(x):
    """Turn list x into a max-heap, in place."""
    _check_list(x, "_heapify_max", "argument")
    for i in reversed(range(len(x) // 2)):
        _siftup_max(x, i)


def _heappop_max(heap):
    """Pop and return the largest item of a max-heap."""
    _check_list(heap, "_heappop_max", "argument")
    if not heap:
        raise IndexError("index out of range")
    last = heap.pop()
    if heap:
        top = heap[0]
        heap[0] = last
        _siftup_max(heap, 0)
        return top
    return last


def _heapreplace_max(heap, item):
    """Pop the largest item of a max-heap, then push item."""
    _check_list(heap, "_heapreplace_max")
    if not heap:
        raise IndexError("index out of range")
    top = heap[0]
    heap[0] = item
    _siftup_max(heap, 0)
    return top


# ----- selection and merging ---------------------------------------------------------------

def nsmallest(n, iterable, key=None):
    """The n smallest items: sorted(iterable, key=key)[:n]."""
    if n <= 0:
        return []
    return sorted(iterable, key=key)[:n]


def nlargest(n, iterable, key=None):
    """The n largest items: sorted(iterable, key=key, reverse=True)[:n]."""
    if n <= 0:
        return []
    return sorted(iterable, key=key, reverse=True)[:n]


def merge(*iterables, key=None, reverse=False):
    """Merge sorted inputs into one sorted iterator, lazily (an input is read
    only as far as the output needs). Equal items come out in the order of
    their inputs. With reverse, the inputs are sorted from largest to smallest.

    Each heap entry is [sort key, input number, item, iterator]; entries are
    compared with < only, the input number breaking ties."""
    if reverse:
        def before(a, b):
            return b[0] < a[0] or (not a[0] < b[0] and a[1] < b[1])
    else:
        def before(a, b):
            return a[0] < b[0] or (not b[0] < a[0] and a[1] < b[1])

    def settle(heap, pos):
        # Move heap[pos] toward the leaves until no child comes before it.
        end = len(heap)
        entry = heap[pos]
        while True:
            child = 2 * pos + 1
            if child >= end:
                break
            if child + 1 < end and before(heap[child + 1], heap[child]):
                child += 1
            if not before(heap[child], entry):
                break
            heap[pos] = heap[child]
            pos = child
        heap[pos] = entry

    heap = []
    for number, iterable in enumerate(iterables):
        iterator = iter(iterable)
        for item in iterator:
            heap.append([item if key is None else key(item), number, item, iterator])
            break
    for pos in reversed(range(len(heap) // 2)):
        settle(heap, pos)
    while heap:
        entry = heap[0]
        yield entry[2]
        for item in entry[3]:
            entry[0] = item if key is None else key(item)
            entry[2] = item
            break
        else:
            # This input is exhausted.
            last = heap.pop()
            if not heap:
                return
            heap[0] = last
        settle(heap, 0)

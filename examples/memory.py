"""A tour of what pyvm makes visible: references, refcounts, cycles and finalizers."""
import gc
import sys

a = [1, 2, 3]
b = a  # b references the same list object as a
print("same object:", a is b, id(a) == id(b))
print("refcount of a:", sys.getrefcount(a))

b.append(4)
print("changed through b, seen through a:", a)


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

    def __del__(self):
        print(f"  freeing {self.name}")


print("refcounting frees an object as soon as its last reference goes:")
n = Node("solo")
del n
print("after del")

print("a reference cycle survives refcounting until the collector finds it:")
x, y = Node("x"), Node("y")
x.other, y.other = y, x
del x, y
print("collected:", gc.collect())

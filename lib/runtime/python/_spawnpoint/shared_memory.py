"""multiprocessing.shared_memory on the shared heap, and `_posixshmem` for what imports it.

A segment is a block of the machine's shared heap (lib/kernel/shm.ts), which every worker
maps: bytes one process writes are the bytes the others read, at once, with no copy
through the kernel. Names follow Linux (`/psm_…`, created with O_CREAT|O_EXCL, alive until
shm_unlink) and so do sizes: `.size` is exactly what was asked for, as tmpfs reports it.

What differs, and why: an interpreter here runs in its own WebAssembly memory, which is
not shared between workers, so no Python `memoryview` can point into the shared heap.
`SharedMemory.buf` is a `SharedView`: it indexes, slices, casts and compares like a
memoryview, and every access reads or writes the shared bytes themselves (one FFI call per
item, like Value/Array). Code that takes the buffer protocol (`bytes(buf)`,
`struct.pack_into(fmt, buf, …)`, `ShareableList`) gets a private copy for the length of
that call (PEP 688 `__buffer__`), and what the call changed is written back when it
releases it. A `memoryview(buf)` kept around is such a copy: its later writes are not
shared; keep `buf` itself instead.
"""
import os
import sys

import weakref

from . import call
from .shared_view import SharedView
from .shutdown import uses_util


class SharedMemory:
    """CPython's SharedMemory API (POSIX flavour) on a shared-heap segment."""

    _offset = -1
    _buf = None
    _view_released = False
    _exports = {}
    _prepend_leading_slash = True

    def __init__(self, name=None, create=False, size=0, *, track=True):
        uses_util()
        if not size >= 0:
            raise ValueError("'size' must be a positive integer")
        if create and size == 0:
            raise ValueError("'size' must be a positive number different from zero")
        if name is None and not create:
            raise ValueError("'name' can only be None if create=True")
        self._track = track
        if name is None:
            import multiprocessing.shared_memory as cp
            while True:
                name = cp._make_filename()  # looked up here: code (and tests) may patch it
                try:
                    seg = call("shm_open", name=name, create=True, exclusive=True, size=int(size))
                except FileExistsError:
                    continue
                break
        else:
            name = "/" + name if self._prepend_leading_slash else name
            seg = call("shm_open", name=name, create=bool(create), exclusive=bool(create), size=int(size))
        self._name = name
        self._offset = seg["offset"]
        self._size = seg["size"]
        self._exports = weakref.WeakValueDictionary()  # id → a live slice or cast of buf
        self._buf = SharedView(self._offset, self._size, owner=self)
        if track:
            # As CPython 3.11: created or attached, the name is the tracker's to unlink if leaked.
            from multiprocessing import resource_tracker
            resource_tracker.register(self._name, "shared_memory")

    def __del__(self):
        try:
            self.close()
        except OSError:
            pass

    def __reduce__(self):
        return (self.__class__, (self.name, False, self.size))

    def __repr__(self):
        return f"{self.__class__.__name__}({self.name!r}, size={self.size})"

    @property
    def buf(self):
        "A memoryview-like window on the shared memory block (see SharedView)."
        return self._buf

    @property
    def name(self):
        "Unique name that identifies the shared memory block."
        return self._name[1:] if self._name.startswith("/") else self._name

    @property
    def size(self):
        "Size in bytes."
        return self._size

    def close(self):
        """Closes access to the shared memory from this instance but does not destroy it."""
        if self._buf is not None:
            self._buf.release()
            self._buf = None
        if self._offset >= 0:
            # As CPython's mmap.close(): not while a slice or cast of buf is still alive.
            if any(not view._released for view in self._exports.values()):
                raise BufferError("cannot close exported pointers exist")
            self._view_released = True
            offset, self._offset = self._offset, -1
            call("shm_close", offset=offset)

    def unlink(self):
        """Destroys the block's name; its memory goes once every process has closed it."""
        if self._name:
            call("shm_unlink", name=self._name)
            if self._track:
                from multiprocessing import resource_tracker
                resource_tracker.unregister(self._name, "shared_memory")


class _PosixShmem:
    """The `_posixshmem` C module's functions. shm_open returns a descriptor-like number
    (the segment's heap offset); only SharedMemory and shm_unlink use it here: os.ftruncate,
    os.fstat and mmap on it are not available, because the segment is not a file."""

    @staticmethod
    def shm_open(path, flags, mode=0o777):
        create = bool(flags & os.O_CREAT)
        exclusive = bool(flags & os.O_EXCL)
        return call("shm_open", name=path, create=create, exclusive=exclusive, size=0)["offset"]

    @staticmethod
    def shm_unlink(path):
        call("shm_unlink", name=path)


class Arena:
    """multiprocessing.heap.Arena as a block of the shared heap: CPython's maps a temporary
    file, pickled as its descriptor, which a worker cannot pass on. Pickles as its offset.
    The block is never given back while the program runs (a child may still use a block the
    heap discarded), as Value and Array memory is not."""

    def __init__(self, size, offset=None):
        self.size = size
        self.offset = call("shm_alloc", size=max(1, int(size))) if offset is None else offset

    def __reduce__(self):
        return Arena, (self.size, self.offset)

    @property
    def buffer(self):
        return SharedView(self.offset, self.size)


def _buffer_wrapper_class():
    """multiprocessing.heap.BufferWrapper (shared bytes carved by CPython's Heap out of
    Arenas), with views on the shared heap."""
    import multiprocessing.heap as heap

    class BufferWrapper(heap.BufferWrapper):
        # Pickles by the name it takes in multiprocessing.heap, as CPython's.
        __module__ = heap.__name__
        __qualname__ = "BufferWrapper"
        _heap = heap.Heap()

        def create_memoryview(self):
            (arena, start, stop), size = self._state
            return SharedView(arena.offset + start, size)

    return BufferWrapper


_warning_at = None


def _leak_warning_at():
    """Where CPython's tracker warns of leaked objects, as its warning shows it: the
    resource_tracker.py line of that warnings.warn call and the call's first line, and whether
    the message ends with the names (3.13 on). None: a tracker unlike CPython's."""
    global _warning_at
    if _warning_at is None:
        import linecache
        from multiprocessing import resource_tracker
        lines = linecache.getlines(resource_tracker.__file__, resource_tracker.__dict__)
        _warning_at = {}
        for i, line in enumerate(lines):
            if "leaked" in line and "objects to" in line:
                calls = [j for j in range(max(0, i - 3), i + 1) if "warnings.warn(" in lines[j]]
                if calls:
                    j = calls[-1]
                    message = "".join(lines[j:j + 6])
                    _warning_at = {"where": "%s:%d" % (resource_tracker.__file__, j + 1),
                                   "source": lines[j].strip(), "names": "{rtype_cache}" in message}
                break
    return _warning_at


def _tracker_send(cmd, name, rtype):
    import _spawnpoint
    if rtype != "shared_memory":
        return
    if cmd == "REGISTER":
        call("tracker_register", root=_spawnpoint.TRACKER, name=name, stderr=_spawnpoint.STDERR_TARGET, **_leak_warning_at())
    elif cmd == "UNREGISTER":
        call("tracker_unregister", root=_spawnpoint.TRACKER, name=name)


def install():
    """`_posixshmem` in sys.modules, then CPython's shared_memory module with our SharedMemory
    (its ShareableList runs unchanged on top of it)."""
    import types
    mod = types.ModuleType("_posixshmem", _PosixShmem.__doc__)
    mod.shm_open = _PosixShmem.shm_open
    mod.shm_unlink = _PosixShmem.shm_unlink
    sys.modules["_posixshmem"] = mod
    sys.modules.pop("multiprocessing.shared_memory", None)
    import multiprocessing
    import multiprocessing.shared_memory as cp
    cp.SharedMemory = SharedMemory
    multiprocessing.shared_memory = cp
    import multiprocessing.heap as heap
    # CPython's BufferWrapper finds its heap (and the heap its arenas) by these module names.
    heap.Arena = Arena
    heap.BufferWrapper = _buffer_wrapper_class()
    # resource_tracker would fork_exec a tracker process; a worker cannot exec one, so the
    # kernel keeps each interpreter tree's tracker (lib/kernel/trackers.ts): a shared_memory
    # name left registered when the tree's last process ends is unlinked, with CPython's
    # warning on the tracker's stderr. Other resource types (named semaphores) are not made here.
    from multiprocessing import resource_tracker as rt
    rt._resource_tracker._send = _tracker_send
    rt.ensure_running = rt._resource_tracker.ensure_running = lambda: None

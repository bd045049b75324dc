"""SharedView: a memoryview-like window on bytes of the shared heap (SharedMemory.buf).

Why not a memoryview: see shared_memory.py. Every item access is one FFI read or write of
the shared bytes; whole-buffer reads and writes go through `_read` / `_write`.
"""
import _spawnpoint_js as _js

_get = _js.heap_get
_set = _js.heap_set
_read_text = getattr(_js, "heap_read_text", None)
_write_text = getattr(_js, "heap_write_text", None)

# memoryview formats → the shared heap's typecodes (C long is 8 bytes on Linux x86-64).
_CODES = {"B": "B", "b": "b", "c": "c", "?": "?", "H": "H", "h": "h", "I": "I", "i": "i",
          "L": "Q", "l": "q", "Q": "Q", "q": "q", "N": "Q", "n": "q", "f": "f", "d": "d"}
_SIZES = {"B": 1, "b": 1, "c": 1, "?": 1, "H": 2, "h": 2, "I": 4, "i": 4, "L": 8, "l": 8,
          "Q": 8, "q": 8, "N": 8, "n": 8, "f": 4, "d": 8}


def _read(offset, n):
    """n shared bytes at `offset`, as bytes."""
    if _read_text is not None:
        return _read_text(offset, n).encode("latin-1")
    out = bytearray(n)
    words = n // 4
    for k in range(words):
        out[4 * k:4 * k + 4] = _get("I", offset + 4 * k).to_bytes(4, "little")
    for k in range(4 * words, n):
        out[k] = _get("B", offset + k)
    return bytes(out)


def _write(offset, data):
    if _write_text is not None:
        _write_text(offset, bytes(data).decode("latin-1"))
        return
    n = len(data)
    words = n // 4
    for k in range(words):
        _set("I", offset + 4 * k, int.from_bytes(data[4 * k:4 * k + 4], "little"))
    for k in range(4 * words, n):
        _set("B", offset + k, data[k])


def _write_changes(offset, old, new):
    """Writes back only the runs of bytes that changed, so a buffer-protocol call does not
    overwrite what another process wrote meanwhile to bytes this one did not touch."""
    n = len(new)
    i = 0
    while i < n:
        if old[i] == new[i]:
            i += 1
            continue
        j = i
        while j < n and old[j] != new[j]:
            j += 1
        _write(offset + i, new[i:j])
        i = j


class SharedView:
    """A memoryview-like window on shared bytes (see the module's docstring for why)."""

    def __init__(self, offset, nbytes, fmt="B", owner=None):
        self._offset = offset
        self._nbytes = nbytes
        self._format = fmt
        self._itemsize = _SIZES[fmt]
        self._owner = owner
        self._released = False
        self._exports = {}

    def _check(self):
        if self._released or (self._owner is not None and self._owner._view_released):
            raise ValueError("operation forbidden on released memoryview object")

    # ── shape ──
    def __len__(self):
        self._check()
        return self._nbytes // self._itemsize

    nbytes = property(lambda self: self._nbytes)
    format = property(lambda self: self._format)
    itemsize = property(lambda self: self._itemsize)
    readonly = property(lambda self: False)
    ndim = property(lambda self: 1)
    shape = property(lambda self: (len(self),))
    strides = property(lambda self: (self._itemsize,))
    contiguous = c_contiguous = f_contiguous = property(lambda self: True)

    # ── items ──
    def _item_offset(self, i):
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("index out of bounds on dimension 1")
        return self._offset + i * self._itemsize

    def _load(self, at):
        v = _get(_CODES[self._format], at)
        if self._format == "c":
            return bytes([int(v)])
        if self._format == "?":
            return bool(v)
        if self._format in "fd":
            return float(v)
        return int(v)

    def __getitem__(self, key):
        self._check()
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step == 1:
                return self._derived(self._offset + start * self._itemsize, max(0, stop - start) * self._itemsize, self._format)
            return memoryview(bytes(b for i in range(start, stop, step) for b in self._read_item(i))).cast(self._format)
        if not hasattr(key, "__index__"):
            raise TypeError("memoryview: invalid slice key")
        return self._load(self._item_offset(key.__index__()))

    def _read_item(self, i):
        return _read(self._item_offset(i), self._itemsize)

    def __setitem__(self, key, value):
        self._check()
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            idx = range(start, stop, step)
            src = memoryview(value).cast("B") if not isinstance(value, SharedView) else memoryview(value.tobytes())
            if src.nbytes != len(idx) * self._itemsize:
                raise ValueError("memoryview assignment: lvalue and rvalue have different structures")
            data = src.tobytes()
            if step == 1:
                _write(self._offset + start * self._itemsize, data)
            else:
                for k, i in enumerate(idx):
                    _write(self._item_offset(i), data[k * self._itemsize:(k + 1) * self._itemsize])
            return
        at = self._item_offset(key.__index__())
        fmt = self._format
        if fmt == "c":
            if not isinstance(value, (bytes, bytearray)) or len(value) != 1:
                raise TypeError("memoryview: invalid type for format 'c'")
            _set("B", at, value[0])
        elif fmt in "fd":
            _set(fmt, at, float(value))
        elif fmt == "?":
            _set("B", at, 1 if value else 0)
        else:
            if not isinstance(value, int):
                raise TypeError("memoryview: invalid type for format '%s'" % fmt)
            bits = 8 * self._itemsize
            lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if fmt.islower() else (0, (1 << bits) - 1)
            if not lo <= value <= hi:
                raise ValueError("memoryview: invalid value for format '%s'" % fmt)
            _set(_CODES[fmt], at, value)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    # ── whole-buffer operations ──
    def tobytes(self, order="C"):
        self._check()
        return _read(self._offset, self._nbytes)

    def tolist(self):
        return list(self)

    def hex(self, *args):
        return self.tobytes().hex(*args)

    def cast(self, format, shape=None):
        self._check()
        if format not in _SIZES:
            raise ValueError("memoryview: destination format must be a native single character format prefixed with an optional '@'")
        if self._nbytes % _SIZES[format]:
            raise TypeError("memoryview: length is not a multiple of itemsize")
        return self._derived(self._offset, self._nbytes, format)

    def _derived(self, offset, nbytes, fmt):
        """A slice or cast: an export of the owner's mapping while it lives (SharedMemory.close)."""
        view = SharedView(offset, nbytes, fmt, self._owner)
        if self._owner is not None:
            self._owner._exports[id(view)] = view
        return view

    def release(self):
        self._released = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def __eq__(self, other):
        if isinstance(other, SharedView):
            other = other.tobytes()
        try:
            return self.tobytes() == memoryview(other).cast("B").tobytes()
        except TypeError:
            return NotImplemented

    __hash__ = None

    def __repr__(self):
        return "<shared memory at heap offset %#x, %d bytes>" % (self._offset, self._nbytes)

    # PEP 688: C code that takes a buffer works on a copy, written back when it lets go.
    def __buffer__(self, flags):
        self._check()
        snapshot = self.tobytes()
        copy = bytearray(snapshot)
        view = memoryview(copy)
        if self._format != "B":
            view = view.cast(self._format)
        self._exports[id(view)] = (copy, snapshot)
        return view

    def __release_buffer__(self, view):
        copy, snapshot = self._exports.pop(id(view), (None, None))
        if copy is not None and copy != snapshot and not self._released:
            _write_changes(self._offset, snapshot, copy)

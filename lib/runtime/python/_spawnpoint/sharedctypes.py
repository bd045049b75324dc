"""Value / Array in the shared heap (multiprocessing.sharedctypes without ctypes or mmap;
ctypes Structure classes are read only for their fields).

Each get/set of `.value` or an item is one FFI access to the SharedArrayBuffer, so
`v.value += 1` is a read then a write: not atomic, exactly as in CPython; `get_lock()`
guards read-modify-write.
"""
import struct

import _spawnpoint_js as _js

from multiprocessing import context

from . import call

_get = _js.heap_get
_set = _js.heap_set

_TYPECODES = set("cbBhHiIlLqQfd?")


def _typecode(typecode_or_type):
    if isinstance(typecode_or_type, str):
        code = typecode_or_type
    else:
        code = getattr(typecode_or_type, "_type_", None)
    if not isinstance(code, str) or code not in _TYPECODES:
        raise TypeError("unsupported type code %r" % (typecode_or_type,))
    # C long is 64-bit on CPython/Linux; keep Python semantics (big values) with 'q'.
    return {"l": "q", "L": "Q"}.get(code, code)


def _size(code):
    return struct.calcsize(code)


def _to_py(code, raw):
    if code == "c":
        return bytes([int(raw)])
    if code == "?":
        return bool(raw)
    if code in "fd":
        return float(raw)
    return int(raw)


def _to_js(code, value):
    if code == "c":
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 256:
            return value  # what iterating over bytes gives: Array("c", b"text")
        if not isinstance(value, (bytes, bytearray)) or len(value) != 1:
            raise TypeError("one character bytes, bytearray or integer expected")
        return value[0]
    if code in "fd":
        return float(value)
    if code == "?":
        return 1 if value else 0
    if not isinstance(value, int):
        raise TypeError("int expected instead of %s" % type(value).__name__)
    return value


class RawValue:
    def __new__(cls, typecode_or_type, *args):
        if _is_struct(typecode_or_type):
            return _struct_class(typecode_or_type)._new(*args)
        return super().__new__(cls)

    def __init__(self, typecode_or_type, *args):
        self._code = _typecode(typecode_or_type)
        self._offset = call("shm_alloc", size=_size(self._code))
        if args:
            self.value = args[0]

    @classmethod
    def _rebuild(cls, code, offset):
        self = object.__new__(cls)
        self._code, self._offset = code, offset
        return self

    def __reduce__(self):
        return RawValue._rebuild, (self._code, self._offset)

    @property
    def value(self):
        return _to_py(self._code, _get(self._code, self._offset))

    @value.setter
    def value(self, v):
        _set(self._code, self._offset, _to_js(self._code, v))

    def __repr__(self):
        return "c_%s(%r)" % (self._code, self.value)


class RawArray:
    def __init__(self, typecode_or_type, size_or_initializer):
        self._code = _typecode(typecode_or_type)
        if isinstance(size_or_initializer, int):
            self._len = size_or_initializer
            init = None
        else:
            init = list(size_or_initializer)
            self._len = len(init)
        self._item = _size(self._code)
        self._offset = call("shm_alloc", size=max(1, self._item * self._len))
        if init is not None:
            for i, v in enumerate(init):
                self[i] = v

    @classmethod
    def _rebuild(cls, code, length, offset):
        self = cls.__new__(cls)
        self._code, self._len, self._offset = code, length, offset
        self._item = _size(code)
        return self

    def __reduce__(self):
        return RawArray._rebuild, (self._code, self._len, self._offset)

    def __len__(self):
        return self._len

    def _index(self, i):
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("invalid index")
        return self._offset + i * self._item

    def __getitem__(self, i):
        if isinstance(i, slice):
            items = [self[j] for j in range(*i.indices(self._len))]
            return b"".join(items) if self._code == "c" else items
        return _to_py(self._code, _get(self._code, self._index(i)))

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            idx = range(*i.indices(self._len))
            vals = list(v)
            if len(vals) != len(idx):
                raise ValueError("Can only assign sequence of same size")
            for j, x in zip(idx, vals):
                self[j] = x
            return
        _set(self._code, self._index(i), _to_js(self._code, v))

    def __iter__(self):
        return (self[i] for i in range(self._len))

    @property
    def value(self):
        if self._code != "c":
            raise AttributeError("value")
        raw = bytes(self[i][0] for i in range(self._len))
        return raw.split(b"\0", 1)[0]

    @value.setter
    def value(self, v):
        # As ctypes' char array: the bytes, then one NUL if it fits; the rest is left as it was.
        if self._code != "c":
            raise AttributeError("value")
        if not isinstance(v, bytes):
            raise TypeError("bytes expected instead of %s instance" % type(v).__name__)
        self._write_bytes(v + (b"\0" if len(v) < self._len else b""), len(v))

    @property
    def raw(self):
        return bytes(self[i][0] for i in range(self._len))

    @raw.setter
    def raw(self, v):
        if self._code != "c":
            raise AttributeError("raw")
        try:
            data = bytes(memoryview(v))
        except TypeError:
            raise TypeError("a bytes-like object is required, not '%s'" % type(v).__name__) from None
        self._write_bytes(data, len(data))

    def _write_bytes(self, data, n):
        if n > self._len:
            raise ValueError("byte string too long")
        for i, x in enumerate(data):
            self[i] = x


# ── ctypes Structures ─────────────────────────────────────────────────────────
# Value(SomeStructure, ...) gives an object whose fields read and write the shared heap, laid
# out as on Linux x86-64 (each simple field aligned to its size, C long 8 bytes), since
# this interpreter's ctypes (wasm32) would lay them out differently.


def _is_struct(t):
    return isinstance(t, type) and isinstance(getattr(t, "_fields_", None), (list, tuple))


class _StructLayout:
    def __init__(self, ctype):
        self.ctype = ctype
        self.fields = {}  # name -> (offset, kind, info)
        offset = 0
        align = 1
        for field in ctype._fields_:
            name, ftype = field[0], field[1]
            if len(field) > 2:
                raise TypeError("bit fields of %s cannot be shared" % ctype.__name__)
            kind, size, falign, info = _describe(ftype)
            offset = -(-offset // falign) * falign
            self.fields[name] = (offset, kind, info)
            offset += size
            align = max(align, falign)
        self.align = align
        self.size = -(-offset // align) * align


def _describe(ftype):
    """(kind, size, alignment, info) of a field type: a simple type, a Structure, or an array of simple items."""
    if _is_struct(ftype):
        layout = _struct_class(ftype)._layout
        return "struct", layout.size, layout.align, ftype
    length = getattr(ftype, "_length_", None)
    if isinstance(length, int) and isinstance(getattr(ftype, "_type_", None), type):
        code = _typecode(ftype._type_)
        return "array", _size(code) * length, _size(code), (code, length)
    code = _typecode(ftype)
    return "simple", _size(code), _size(code), code


def _field(name, off, kind, info):
    if kind == "simple":
        def get(self):
            return _to_py(info, _get(info, self._offset + off))

        def set(self, v):
            _set(info, self._offset + off, _to_js(info, v))
    elif kind == "struct":
        def get(self):
            return _struct_class(info)._at(self._offset + off)

        def set(self, v):
            _struct_class(info)._at(self._offset + off)._copy_from(v)
    else:
        code, length = info

        def get(self):
            arr = RawArray._rebuild(code, length, self._offset + off)
            # As ctypes: a char array field reads as bytes.
            return arr.value if code == "c" else arr

        def set(self, v):
            arr = RawArray._rebuild(code, length, self._offset + off)
            if code == "c":
                arr.value = v
            else:
                arr[:len(v)] = list(v)
    return property(get, set, doc="field %s" % name)


_STRUCT_CLASSES = {}


class RawStruct:
    """A ctypes Structure's fields in the shared heap (the object RawValue(SomeStructure) gives)."""
    __slots__ = ("_offset",)
    _layout = None

    @classmethod
    def _at(cls, offset):
        self = object.__new__(cls)
        self._offset = offset
        return self

    @classmethod
    def _new(cls, *args):
        names = list(cls._layout.fields)
        if len(args) > len(names):
            raise TypeError("too many initializers")
        self = cls._at(call("shm_alloc", size=max(1, cls._layout.size)))
        for name, v in zip(names, args):
            setattr(self, name, v)
        return self

    def _copy_from(self, other):
        for name in self._layout.fields:
            setattr(self, name, getattr(other, name))

    def __reduce__(self):
        return _rebuild_struct, (self._layout.ctype, self._offset)


def _rebuild_struct(ctype, offset):
    return _struct_class(ctype)._at(offset)


def _struct_class(ctype):
    cls = _STRUCT_CLASSES.get(ctype)
    if cls is None:
        d = {"__slots__": (), "__module__": ctype.__module__, "__qualname__": ctype.__qualname__}
        cls = type(ctype.__name__, (RawStruct,), d)
        cls._layout = layout = _StructLayout(ctype)
        for name, (off, kind, info) in layout.fields.items():
            setattr(cls, name, _field(name, off, kind, info))
        _STRUCT_CLASSES[ctype] = cls
    return cls


class _SynchronizedBase:
    def __init__(self, obj, lock):
        self._obj = obj
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def __reduce__(self):
        context.assert_spawning(self)
        return _rebuild_synchronized, (type(self), self._obj, self._lock)

    def get_obj(self):
        return self._obj

    def get_lock(self):
        return self._lock

    def __repr__(self):
        return "<%s wrapper for %s>" % (type(self).__name__, self._obj)


def _rebuild_synchronized(cls, obj, lock):
    return cls(obj, lock)


def _locked(name):
    """The wrapped object's attribute `name`, read and written under the wrapper's lock."""

    def get(self):
        with self._lock:
            return getattr(self._obj, name)

    def set(self, v):
        with self._lock:
            setattr(self._obj, name, v)

    return property(get, set)


class Synchronized(_SynchronizedBase):
    value = _locked("value")


class SynchronizedArray(_SynchronizedBase):
    def __len__(self):
        return len(self._obj)

    def __getitem__(self, i):
        with self._lock:
            return self._obj[i]

    def __setitem__(self, i, v):
        with self._lock:
            self._obj[i] = v

    def __getslice__(self, start, stop):
        with self._lock:
            return self._obj[start:stop]

    def __iter__(self):
        with self._lock:
            return iter(list(self._obj))


class SynchronizedString(SynchronizedArray):
    value = _locked("value")
    raw = _locked("raw")


_SYNCHRONIZED_STRUCTS = {}


def _synchronized_struct(obj, lock):
    """CPython's wrapper for a shared Structure: a class Synchronized<Name> with each field
    read and written under the lock."""
    ctype = obj._layout.ctype
    cls = _SYNCHRONIZED_STRUCTS.get(ctype)
    if cls is None:
        d = {name: _locked(name) for name in obj._layout.fields}
        d["__reduce__"] = _reduce_synchronized_struct
        cls = _SYNCHRONIZED_STRUCTS[ctype] = type("Synchronized" + ctype.__name__, (_SynchronizedBase,), d)
    return cls(obj, lock)


def _reduce_synchronized_struct(self):
    context.assert_spawning(self)
    return _synchronized_struct, (self._obj, self._lock)


def _lock_for(lock, ctx):
    if lock in (True, None):
        ctx = ctx or context._default_context.get_context()
        return ctx.RLock()
    if not hasattr(lock, "acquire"):
        raise AttributeError("%r has no method 'acquire'" % lock)
    return lock


def Value(typecode_or_type, *args, lock=True, ctx=None):
    obj = RawValue(typecode_or_type, *args)
    if lock is False:
        return obj
    if isinstance(obj, RawStruct):
        return _synchronized_struct(obj, _lock_for(lock, ctx))
    return Synchronized(obj, _lock_for(lock, ctx))


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    obj = RawArray(typecode_or_type, size_or_initializer)
    if lock is False:
        return obj
    cls = SynchronizedString if obj._code == "c" else SynchronizedArray
    return cls(obj, _lock_for(lock, ctx))


def copy(obj):
    """A new raw shared object with obj's current contents (multiprocessing.sharedctypes.copy)."""
    if isinstance(obj, _SynchronizedBase):
        obj = obj.get_obj()
    if isinstance(obj, RawArray):
        return RawArray(obj._code, list(obj))
    if isinstance(obj, RawValue):
        return RawValue(obj._code, obj.value)
    if isinstance(obj, RawStruct) or _is_struct(type(obj)):
        # Also a plain ctypes Structure: CPython copies its bytes into new shared memory.
        new = RawValue(obj._layout.ctype if isinstance(obj, RawStruct) else type(obj))
        new._copy_from(obj)
        return new
    import ctypes
    if isinstance(obj, ctypes._SimpleCData):
        return RawValue(type(obj), obj.value)
    if isinstance(obj, ctypes.Array):
        return RawArray(obj._type_, list(obj))
    raise TypeError("copy() expects a shared Value or Array, not %s" % type(obj).__name__)

"""Value / Array in the shared heap (multiprocessing.sharedctypes without ctypes or mmap;
ctypes Structure classes are read only for their fields).

Each get/set of `.value` or an item is one FFI access to the SharedArrayBuffer, so
`v.value += 1` is a read then a write: not atomic, exactly as in CPython; `get_lock()`
guards read-modify-write.
"""
import operator
import struct

import _spawnpoint_js as _js

from multiprocessing import context

from . import call, tracebacks
from .shutdown import uses_util

_get = _js.heap_get
_set = _js.heap_set

# CPython's typecode_to_type, as on Linux x86-64: C long is 8 bytes ('l' is stored as 'q', and
# c_longlong is c_long there), wchar_t 4. c_bool is there only as a ctypes type.
_TYPECODES = set("cubBhHiIlLqQfd")
_NAMES = {
    "c": "c_char", "u": "c_wchar", "b": "c_byte", "B": "c_ubyte", "h": "c_short", "H": "c_ushort",
    "i": "c_int", "I": "c_uint", "q": "c_long", "Q": "c_ulong", "f": "c_float", "d": "c_double",
    "?": "c_bool",
}


def _typecode(typecode_or_type):
    if isinstance(typecode_or_type, str):
        if typecode_or_type not in _TYPECODES:
            # CPython looks the code up, gets the string itself back and asks ctypes its size.
            raise TypeError("this type has no size")
        code = typecode_or_type
    else:
        code = getattr(typecode_or_type, "_type_", None)
        if code is None:
            raise TypeError("this type has no size")
        if not isinstance(code, str) or not (code in _TYPECODES or code == "?"):
            raise TypeError("unsupported type code %r" % (typecode_or_type,))
    return {"l": "q", "L": "Q"}.get(code, code)


def _fmt(code):
    """The heap's format for a code (a wchar_t is its code point, 4 bytes)."""
    return "I" if code == "u" else code


def _size(code):
    return struct.calcsize(_fmt(code))


def _to_py(code, raw):
    if code == "c":
        return bytes([int(raw)])
    if code == "u":
        return chr(int(raw))
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
    if code == "u":
        if not isinstance(value, str):
            raise TypeError("unicode string expected instead of %s instance" % type(value).__name__)
        if len(value) != 1:
            raise TypeError("one character unicode string expected")
        return ord(value)
    if code in "fd":
        # As ctypes' c_double: a number, or an object with __float__ or __index__; not a str.
        t = type(value)
        if not isinstance(value, (int, float)) and not hasattr(t, "__float__") and not hasattr(t, "__index__"):
            raise TypeError("must be real number, not %s" % t.__name__)
        return float(value)
    if code == "?":
        return 1 if value else 0
    # As ctypes' integer types: __index__, then the low bits (c_int(2**32 + 1) is 1).
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(value).__name__) from None
    bits = 8 * _size(code)
    value &= (1 << bits) - 1
    if code in "bhilq" and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


_VALUE_CLASSES = {}
_ARRAY_CLASSES = {}


def _value_class(code):
    """The class of a shared value of `code`, named as the ctypes type CPython shares (c_int, ...)."""
    cls = _VALUE_CLASSES.get(code)
    if cls is None:
        d = {"__module__": "ctypes", "__qualname__": _NAMES[code], "_code": code, "_fmt": _fmt(code)}
        cls = _VALUE_CLASSES[code] = type(_NAMES[code], (RawValue,), d)
    return cls


def _array_class(code, length):
    """As ctypes' `c_int * 3`: c_int_Array_3, made by CPython's multiprocessing.sharedctypes."""
    cls = _ARRAY_CLASSES.get((code, length))
    if cls is None:
        name = "%s_Array_%d" % (_NAMES[code], length)
        d = {"__module__": "multiprocessing.sharedctypes", "__qualname__": name,
             "_code": code, "_fmt": _fmt(code), "_len": length, "_item": _size(code)}
        cls = _ARRAY_CLASSES[(code, length)] = type(name, (RawArray,), d)
    return cls


class RawValue:
    _code = _fmt = None

    def __new__(cls, typecode_or_type, *args):
        uses_util()
        if _is_struct(typecode_or_type):
            return _struct_class(typecode_or_type)._new(*args)
        code = _typecode(typecode_or_type)
        if len(args) > 1:
            # CPython's ctypes object takes the arguments: its own error.
            import ctypes
            getattr(ctypes, _NAMES[code])(*args)
        self = object.__new__(_value_class(code))
        self._offset = call("shm_alloc", size=_size(self._code))
        if args:
            self.value = args[0]
        return self

    def __init__(self, *args):
        pass

    @classmethod
    def _rebuild(cls, code, offset):
        self = object.__new__(_value_class(code))
        self._offset = offset
        return self

    def __reduce__(self):
        # As CPython's reduce_ctype: only a process's start may pickle shared memory.
        context.assert_spawning(self)
        return self._reduce_anywhere()

    def _reduce_anywhere(self):
        """By place, at any time: the runtime's own use (a managed Barrier's state)."""
        return RawValue._rebuild, (self._code, self._offset)

    @property
    def value(self):
        return _to_py(self._code, _get(self._fmt, self._offset))

    @value.setter
    def value(self, v):
        _set(self._fmt, self._offset, _to_js(self._code, v))

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self.value)


class RawArray:
    _code = _fmt = None
    _len = _item = 0

    def __new__(cls, typecode_or_type, size_or_initializer):
        uses_util()
        code = _typecode(typecode_or_type)
        if isinstance(size_or_initializer, int):
            init = None
            length = size_or_initializer
            if length < 0:
                raise ValueError("Array length must be >= 0, not %d" % length)
        else:
            init = list(size_or_initializer)
            length = len(init)
        self = object.__new__(_array_class(code, length))
        self._offset = call("shm_alloc", size=max(1, self._item * length))
        if init is not None:
            for i, v in enumerate(init):
                self[i] = v
        return self

    def __init__(self, *args):
        pass

    @classmethod
    def _rebuild(cls, code, length, offset):
        self = object.__new__(_array_class(code, length))
        self._offset = offset
        return self

    def __reduce__(self):
        context.assert_spawning(self)
        return self._reduce_anywhere()

    def _reduce_anywhere(self):
        return RawArray._rebuild, (self._code, self._len, self._offset)

    def __len__(self):
        return self._len

    def _index(self, i):
        try:
            i = operator.index(i)
        except TypeError:
            raise TypeError("indices must be integers") from None
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("invalid index")
        return self._offset + i * self._item

    def __getitem__(self, i):
        if isinstance(i, slice):
            items = [self[j] for j in range(*i.indices(self._len))]
            if self._code == "c":
                return b"".join(items)
            return "".join(items) if self._code == "u" else items
        return _to_py(self._code, _get(self._fmt, self._index(i)))

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            idx = range(*i.indices(self._len))
            vals = list(v)
            if len(vals) != len(idx):
                raise ValueError("Can only assign sequence of same size")
            for j, x in zip(idx, vals):
                self[j] = x
            return
        _set(self._fmt, self._index(i), _to_js(self._code, v))

    def __iter__(self):
        return (self[i] for i in range(self._len))

    @property
    def value(self):
        if self._code == "u":
            return "".join(self).split("\0", 1)[0]
        if self._code != "c":
            raise AttributeError("value")
        raw = bytes(self[i][0] for i in range(self._len))
        return raw.split(b"\0", 1)[0]

    @value.setter
    def value(self, v):
        # As ctypes' char array: the bytes, then one NUL if it fits; the rest is left as it was.
        if self._code == "u":
            if not isinstance(v, str):
                raise TypeError("unicode string expected instead of %s instance" % type(v).__name__)
            if len(v) > self._len:
                raise ValueError("string too long")
            self[:len(v) + (len(v) < self._len)] = v + ("\0" if len(v) < self._len else "")
            return
        if self._code != "c":
            raise AttributeError("value")
        if not isinstance(v, bytes):
            raise TypeError("bytes expected instead of %s instance" % type(v).__name__)
        self._write_bytes(v + (b"\0" if len(v) < self._len else b""), len(v))

    @property
    def raw(self):
        if self._code != "c":
            raise AttributeError("raw")
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
            return _to_py(info, _get(_fmt(info), self._offset + off))

        def set(self, v):
            _set(_fmt(info), self._offset + off, _to_js(info, v))
    elif kind == "struct":
        def get(self):
            return _struct_class(info)._at(self._offset + off)

        def set(self, v):
            _struct_class(info)._at(self._offset + off)._copy_from(v)
    else:
        code, length = info

        def get(self):
            arr = RawArray._rebuild(code, length, self._offset + off)
            # As ctypes: a char array field reads as bytes, a wchar array field as str.
            return arr.value if code in "cu" else arr

        def set(self, v):
            arr = RawArray._rebuild(code, length, self._offset + off)
            if code in "cu":
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
        d["__module__"] = "multiprocessing.sharedctypes"
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
    # As CPython: a c_char array's wrapper also has .value and .raw, under the lock.
    cls = SynchronizedString if obj._code == "c" else SynchronizedArray
    return cls(obj, _lock_for(lock, ctx))


def synchronized(obj, lock=None, ctx=None):
    """`obj` (a raw shared value, array or Structure) behind a lock, as Value/Array return it."""
    assert not isinstance(obj, _SynchronizedBase), "object already synchronized"
    lock = _lock_for(lock, ctx)
    if isinstance(obj, RawStruct):
        return _synchronized_struct(obj, lock)
    if isinstance(obj, RawArray):
        return (SynchronizedString if obj._code == "c" else SynchronizedArray)(obj, lock)
    return Synchronized(obj, lock)


def copy(obj):
    """A new raw shared object with obj's current contents (multiprocessing.sharedctypes.copy)."""
    if isinstance(obj, _SynchronizedBase):
        obj = obj.get_obj()
    if isinstance(obj, RawArray):
        new = RawArray._rebuild(obj._code, obj._len, call("shm_alloc", size=max(1, obj._item * obj._len)))
        new[:] = list(obj)
        return new
    if isinstance(obj, RawValue):
        new = RawValue._rebuild(obj._code, call("shm_alloc", size=_size(obj._code)))
        new.value = obj.value
        return new
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


# type(Value(...)) names CPython's module (this one stands in for it in sys.modules).
for _cls in (Synchronized, SynchronizedArray, SynchronizedString):
    _cls.__module__ = "multiprocessing.sharedctypes"


# Pickled outside a process's start: the traceback shows CPython's reducers asserting spawning.
def _asserting(function, statement):
    return lambda frame, ours: (("multiprocessing.sharedctypes", function, statement, statement)
                                if ours == "context.assert_spawning(self)" else [])


tracebacks.stand_in(RawValue.__reduce__.__code__, _asserting("reduce_ctype", "assert_spawning(obj)"))
tracebacks.stand_in(RawArray.__reduce__.__code__, _asserting("reduce_ctype", "assert_spawning(obj)"))
tracebacks.stand_in(_SynchronizedBase.__reduce__.__code__, _asserting("SynchronizedBase.__reduce__", "assert_spawning(self)"))

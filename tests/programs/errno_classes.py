# Every Linux errno: the OSError subclass, errno, args and str() that CPython on Linux gives
# OSError(n, text). The runtime builds its errors with _spawnpoint.linux_errno.error (Pyodide's
# own OSError(n, …) would pick the subclass from Emscripten's numbers: 12 is ECHILD there).
import errno

try:
    from _spawnpoint.linux_errno import error
except ImportError:  # CPython
    error = OSError

for n in sorted(errno.errorcode):
    e = error(n, "text")
    print(n, errno.errorcode[n], type(e).__name__, e.errno, e.args, e)
e = error(errno.ENOMEM, "Cannot allocate memory", "heap")
print(type(e).__name__, e.errno, e.filename, e)

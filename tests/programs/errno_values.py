# OSError numbers as on Linux: tracebacks, str(e), e.errno against the errno module.
import errno
import os

print(errno.ENOENT, errno.EACCES, errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.ENOTEMPTY, errno.EAGAIN)
print(errno.errorcode[2], errno.errorcode[11], os.strerror(errno.ENOENT))
# glibc's texts (musl's differ: "I/O error", "Address in use", …).
print([os.strerror(n) for n in range(0, 133)])

try:
    open("missing.txt")
except FileNotFoundError as e:
    print(e)
    print(e.errno == errno.ENOENT, e.errno, e.strerror, e.filename)

os.mkdir("made")
try:
    os.mkdir("made")
except FileExistsError as e:
    print(e, e.errno == errno.EEXIST)
try:
    os.rmdir("missing-dir")
except OSError as e:
    print(type(e).__name__, e.errno, errno.errorcode[e.errno])
try:
    os.listdir("errno_values.py")
except NotADirectoryError as e:
    print(e)
os.rmdir("made")

open("no/such/dir/file.txt", "w")

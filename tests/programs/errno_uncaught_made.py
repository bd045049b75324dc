# An uncaught OSError the program made from errno's (Linux's) number keeps that number in its
# traceback: it is not taken for one of the C library's.
import errno

raise OSError(errno.EBADF, "bad descriptor")

# An uncaught OSError that already has Linux's number (the kernel's ESRCH here, or one the
# program makes) is printed with it, not renumbered as if it were Pyodide's.
import os

try:
    raise FileNotFoundError(2, "No such file or directory", "made.txt")
except OSError as e:
    print(e)
os.kill(4_999_999, 15)

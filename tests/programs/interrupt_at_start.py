"""Ctrl-C before the program's first line: KeyboardInterrupt in the program, not in the runtime."""
import time

while True:
    time.sleep(0.05)

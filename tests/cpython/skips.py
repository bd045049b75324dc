"""Tests of CPython's multiprocessing suite that cannot run in Spawnpoint, one reason each.

Keys are "Class.test_name". Only three reasons are allowed: the test needs threads, needs
fork, or needs a real outside network. Everything else runs (and passes or fails).
"""
THREADS = "needs threads: threading.Thread.start() cannot run in a browser worker"
FORK = "needs fork: a browser cannot fork a process"
NETWORK = "needs a real outside network"

SKIPS = {
}

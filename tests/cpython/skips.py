"""Tests of CPython's multiprocessing suite that cannot run in Spawnpoint, one reason each.

Keys are "Class.test_name". Only three reasons are allowed: the test needs threads, needs
fork, or needs a real outside network. Everything else runs (and passes or fails).
"""
THREADS = "needs threads: threading.Thread.start() cannot run in a browser worker"
FORK = "needs fork: a browser cannot fork a process"
NETWORK = "needs a real outside network"

SKIPS = {
    # The child starts threading.Thread()s and checks they are joined at exit.
    "WithProcessesTestProcess.test_wait_for_threads": THREADS,
    # Each waits on the Condition from threading.Thread()s as well as from processes.
    "WithProcessesTestCondition.test_notify": THREADS,
    "WithProcessesTestCondition.test_notify_all": THREADS,
    "WithProcessesTestCondition.test_notify_n": THREADS,
    "WithManagerTestCondition.test_notify": THREADS,
    "WithManagerTestCondition.test_notify_all": THREADS,
    "WithManagerTestCondition.test_notify_n": THREADS,
    # The manager's server blocks in queue.Queue.get() for one client while another client
    # must put the item: CPython serves each client from its own thread; a thread-free
    # server (manager_server.py) answers one request at a time.
    "WithManagerTestRemoteManager.test_remote": THREADS,
    # Runs finalizers from several threading.Thread()s at once.
    "WithProcessesTestFinalize.test_thread_safety": THREADS,
}

# Spawnpoint only: a child waits for a Lock its parent holds, and is killed there (the test
# sends SIGKILL) while the parent sleeps: neither touches the shared memory meanwhile.
import time
from multiprocessing import Lock, Process


def wait_for(lock):
    print("child waiting", flush=True)
    lock.acquire()
    print("child got the lock")  # never: it is killed first


if __name__ == "__main__":
    lock = Lock()
    lock.acquire()
    p = Process(target=wait_for, args=(lock,))
    p.start()
    print("child", p.pid, flush=True)
    time.sleep(60)

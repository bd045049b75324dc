# The child's name, authkey and parent: what spawn passes besides the code.
import multiprocessing as mp
import os


def child(parent_pid, parent_key):
    me = mp.current_process()
    parent = mp.parent_process()
    print("name:", me.name, flush=True)
    print("authkey inherited:", bytes(me.authkey) == parent_key, flush=True)
    print("getppid is the parent:", os.getppid() == parent_pid, flush=True)
    print("parent_process:", parent.name, parent.pid == parent_pid, parent.is_alive(), flush=True)
    print("own pid is new:", os.getpid() != parent_pid, flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    mp.current_process().authkey = b"a key of our own"
    key = bytes(mp.current_process().authkey)
    p = mp.Process(target=child, args=(os.getpid(), key), name="worker-7")
    p.start()
    p.join()
    p = mp.Process(target=child, args=(os.getpid(), key))
    p.start()
    p.join()

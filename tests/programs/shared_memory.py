# multiprocessing.shared_memory, compared with python3: create / attach by name, sizes,
# bytes a child writes seen by the parent (and back), struct on buf, ShareableList across
# processes, close / unlink and CPython's errors.
import multiprocessing as mp
import struct
from multiprocessing import shared_memory


def child_writes(name):
    shm = shared_memory.SharedMemory(name)
    print("child sees:", bytes(shm.buf[:5]), "size", shm.size, flush=True)
    shm.buf[5:10] = b"child"
    struct.pack_into("<q", shm.buf, 16, 123456789012)
    shm.close()


def waits_for_change(name, started, changed):
    shm = shared_memory.SharedMemory(name)
    started.set()
    changed.wait(10)
    print("child sees the parent's write:", shm.buf[0], flush=True)
    shm.close()


def edits_list(sl):
    sl[0] = sl[0] * 2
    sl[2] = "changed"
    print("child list:", list(sl), flush=True)
    sl.shm.close()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    shm = shared_memory.SharedMemory(name="spawnpoint_demo", create=True, size=40)
    print("name:", shm.name, "size:", shm.size, "len(buf):", len(shm.buf), repr(shm))
    print("zeroed:", bytes(shm.buf) == bytes(40))
    shm.buf[:5] = b"hello"
    p = mp.Process(target=child_writes, args=(shm.name,))
    p.start()
    p.join()
    print("parent sees:", bytes(shm.buf[:10]), struct.unpack_from("<q", shm.buf, 16)[0])
    print("items:", shm.buf[0], shm.buf[-1], list(shm.buf[5:8]), shm.buf[1:3].tobytes())

    # A change made while the child holds it open is seen there without re-attaching.
    started, changed = mp.Event(), mp.Event()
    p = mp.Process(target=waits_for_change, args=("spawnpoint_demo", started, changed))
    p.start()
    started.wait(10)
    shm.buf[0] = 99
    changed.set()
    p.join()

    # Sizes are exact on Linux; an anonymous segment gets a psm_ name.
    for n in (1, 10, 4096, 5000):
        s = shared_memory.SharedMemory(create=True, size=n)
        print(n, "->", s.size, len(s.buf), s.name.startswith("psm_"), len(s.name))
        s.close()
        s.unlink()

    # ShareableList, shared with a child.
    sl = shared_memory.ShareableList([10, 2.5, "text", b"raw", None, True])
    p = mp.Process(target=edits_list, args=(sl,))
    p.start()
    p.join()
    print("parent list:", list(sl), sl.format, sl.count(None), sl.index(True))
    attached = shared_memory.ShareableList(name=sl.shm.name)
    print("attached by name:", attached[0], attached[2])
    attached.shm.close()
    sl.shm.close()
    sl.shm.unlink()

    # Errors.
    for make in (
        lambda: shared_memory.SharedMemory("spawnpoint_demo", create=True, size=8),
        lambda: shared_memory.SharedMemory("no_such_segment"),
        lambda: shared_memory.SharedMemory(create=True, size=0),
        lambda: shared_memory.SharedMemory(create=True, size=-1),
        lambda: shared_memory.SharedMemory(),
    ):
        try:
            make()
        except Exception as e:
            print(type(e).__name__, e)
    shm.close()
    shm.unlink()
    try:
        shm.unlink()
    except FileNotFoundError as e:
        print("unlink twice:", type(e).__name__, e.errno)
    try:
        shared_memory.SharedMemory("spawnpoint_demo")
    except FileNotFoundError as e:
        print("after unlink:", type(e).__name__, e.errno)

    # SharedMemoryManager: a manager process that tracks and unlinks its segments.
    from multiprocessing.managers import SharedMemoryManager
    with SharedMemoryManager() as smm:
        sl = smm.ShareableList(range(4))
        sm = smm.SharedMemory(size=16)
        sm.buf[0] = 7
        name = sm.name
        print("manager:", list(sl), sm.size, sm.buf[0])
    try:
        shared_memory.SharedMemory(name)
    except FileNotFoundError:
        print("unlinked by the manager at shutdown")

# SharedMemory.close() while a slice or cast of its buf is alive fails as CPython's mmap.close()
# does (BufferError), and works once the slice is released or gone; buf is None after.
import gc
from multiprocessing import shared_memory

if __name__ == "__main__":
    shm = shared_memory.SharedMemory(create=True, size=16)
    try:
        part = shm.buf[:4]
        part[0] = 7
        try:
            shm.close()
        except BufferError as e:
            print("BufferError", e)
        print(shm.buf, part[0], bytes(part))
        del part
        gc.collect()
        shm.close()
        print("closed", shm.buf)
        again = shared_memory.SharedMemory(shm.name)
        words = again.buf.cast("I")
        with again.buf[8:12] as v:
            v[0] = 1
        try:
            again.close()
        except BufferError as e:
            print("BufferError", e)
        words.release()
        again.close()
        print("closed again", again.buf)
    finally:
        shared_memory.SharedMemory(shm.name).unlink()

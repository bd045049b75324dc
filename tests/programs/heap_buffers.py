"""multiprocessing.heap: BufferWrapper blocks come from BufferWrapper._heap (CPython's Heap),
are freed back to it, and are shared with a child."""
import multiprocessing as mp
import multiprocessing.heap as mheap
import random


def child(w):
    view = w.create_memoryview()
    print("child reads", bytes(view[:5]))
    view[:3] = b"abc"


if __name__ == "__main__":
    mp.set_start_method("spawn")
    random.seed(7)
    saved = mheap.BufferWrapper._heap
    heap = mheap.BufferWrapper._heap = mheap.Heap()
    heap._DISCARD_FREE_SPACE_LARGER_THAN = 0
    blocks = []
    for i in range(2000):
        blocks.append(mheap.BufferWrapper(int(random.lognormvariate(0, 1) * 1000)))
        if len(blocks) > 50:
            del blocks[random.randrange(50)]
    print("mallocs", heap._n_mallocs, "arenas in use", len(heap._arenas) > 0)
    random.shuffle(blocks)
    blocks.clear()
    print("all freed", heap._n_frees == heap._n_mallocs, len(heap._arenas), len(heap._allocated_blocks), len(heap._len_to_seq))

    mheap.BufferWrapper._heap = saved

    w = mheap.BufferWrapper(10)
    w.create_memoryview()[:5] = b"hello"
    p = mp.Process(target=child, args=(w,))
    p.start()
    p.join()
    print("parent reads", bytes(w.create_memoryview()[:5]), type(w).__module__, type(w).__name__)

"""An item Queue.put cannot pickle is dropped and reported through _on_queue_feeder_error."""
import contextlib
import io
import multiprocessing as mp
import multiprocessing.queues
import re


class NotSerializable:
    def __reduce__(self):
        raise AttributeError("no pickling")


class SafeQueue(multiprocessing.queues.Queue):
    seen = []

    @staticmethod
    def _on_queue_feeder_error(e, obj):
        SafeQueue.seen.append((type(e).__name__, type(obj).__name__))


if __name__ == "__main__":
    mp.set_start_method("spawn")
    q = SafeQueue(ctx=mp.get_context())
    q.put(NotSerializable())
    q.put(True)
    print("next item:", q.get(timeout=10))
    print("hook saw:", SafeQueue.seen)

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        q = mp.Queue(maxsize=1)
        q.put(NotSerializable())
        q.put(True)
        print("qsize after a dropped item:", q.qsize())
        print("next item:", q.get(timeout=10), "empty:", q.empty())
    print("default hook printed the traceback:", "AttributeError: no pickling" in err.getvalue())
    # From where CPython's feeder thread pickles the item, its frames alone.
    print("its frames:", re.findall(r'File "(?:[^"]*/)?([^/"]+)", line \d+, in (\S+)', err.getvalue()))

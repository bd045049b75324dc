# What the browser cannot do as Linux does: each attempt fails with an error that says why
# and what to use instead. (Not compared with python3, which forks and starts the thread.)
import multiprocessing as mp
import os
import threading


def attempt(what, fn):
    try:
        fn()
    except Exception as e:
        print(f"{what} -> {type(e).__name__}: {e}")
    else:
        print(f"{what} -> no error")


if __name__ == "__main__":
    attempt("os.fork()", os.fork)
    attempt("set_start_method('fork')", lambda: mp.set_start_method("fork"))
    attempt("get_context('forkserver')", lambda: mp.get_context("forkserver"))
    t = threading.Thread(target=print, args=("thread ran",))
    attempt("Thread.start()", t.start)
    attempt("Thread.join()", t.join)
    print("start methods:", mp.get_all_start_methods(), mp.get_start_method())
    p = mp.Process(target=print, args=("spawn still works",))
    p.start()
    p.join()
    # asyncio's default executor is a thread pool: its error, and asyncio.run still ends cleanly.
    import asyncio

    async def in_executor():
        await asyncio.get_running_loop().run_in_executor(None, print, "thread ran")
        return "no error"

    async def main():
        try:
            return await in_executor()
        except RuntimeError as e:
            return f"RuntimeError: {str(e).split(':')[0]}"

    print("run_in_executor(None) ->", asyncio.run(main()))
    print("asyncio.run returned")

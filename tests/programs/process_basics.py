import multiprocessing as mp
import os


def child(tag, *, shout=False):
    me = mp.current_process()
    print(f"{tag}: name={me.name} parent_is_main={os.getppid() == me._parent_pid} "
          f"parent={mp.parent_process().name} shout={shout}", flush=True)


class Greeter(mp.Process):
    def run(self):
        print(f"run() in {self.name}", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    me = mp.current_process()
    print("main:", me.name, mp.parent_process(), mp.cpu_count() >= 1)
    p = mp.Process(target=child, args=("first",), kwargs={"shout": True})
    print("before start:", p.pid, p.exitcode, p.is_alive())
    p.start()
    # Printed after the join: printed here, it raced the child's first line.
    differs = p.pid != os.getpid()
    p.join()
    print("pid differs:", differs)
    print("after join:", p.exitcode, p.is_alive())
    q = mp.Process(target=child, args=("second",), name="custom")
    q.start(); q.join()
    g = Greeter(); g.start(); g.join()
    try:
        g.start()
    except AssertionError as e:
        print("AssertionError:", e)
    g.close()
    try:
        g.is_alive()
    except ValueError as e:
        print("ValueError:", e)
    print("children left:", mp.active_children())

"""Ping-pong over two queues with prints on both sides: each print happens before the put
that lets the other process print, so the output must alternate exactly."""
import multiprocessing as mp

ROUNDS = 200


def pong(ping_q, pong_q):
    for _ in range(ROUNDS):
        n = ping_q.get()
        print("pong", n)
        pong_q.put(n)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    ping_q, pong_q = mp.Queue(), mp.Queue()
    p = mp.Process(target=pong, args=(ping_q, pong_q))
    p.start()
    for i in range(ROUNDS):
        print("ping", i)
        ping_q.put(i)
        pong_q.get()
    p.join()
    print("done")

# asyncio.run on the default event loop: sleeps, gather, a timeout, a TCP echo over the
# loopback, and a ProcessPoolExecutor's work awaited through run_in_executor.
import asyncio
import concurrent.futures as cf
import multiprocessing as mp
import time


def square(x):
    time.sleep(0.05)
    return x * x


async def echo(reader, writer):
    data = await reader.readline()
    writer.write(data.upper())
    await writer.drain()
    writer.close()


async def main():
    print("gather:", await asyncio.gather(asyncio.sleep(0.02, result="a"), asyncio.sleep(0.01, result="b")))
    try:
        await asyncio.wait_for(asyncio.sleep(5), timeout=0.05)
    except TimeoutError:
        print("wait_for: timed out")
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("localhost", port)
    writer.write(b"hello over tcp\n")
    print("echo:", (await reader.readline()).decode().strip())
    writer.close()
    server.close()
    await server.wait_closed()
    try:
        await asyncio.open_connection("localhost", port)
    except ConnectionRefusedError as e:
        print("refused:", type(e).__name__, e.errno)
    loop = asyncio.get_running_loop()
    with cf.ProcessPoolExecutor(2) as ex:
        print("executor:", await asyncio.gather(*(loop.run_in_executor(ex, square, i) for i in range(4))))
    return "done"


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print(asyncio.run(main()))

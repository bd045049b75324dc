import { finishes, noTraceback, outputLines, outputMatches, runCheck, type ExerciseSpec } from "../exercise";

const program = (handle: string) => `import socket
import time
from multiprocessing import Event, Process

PORT = 5002

${handle}
def serve(ready):
    with socket.socket() as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", PORT))
        srv.listen()
        ready.set()
        while True:
            conn, _ = srv.accept()
            Process(target=handle, args=(conn,)).start()
            conn.close()

def client(name):
    with socket.create_connection(("127.0.0.1", PORT)) as s:
        s.sendall(f"hi from {name}".encode())
        print(f"{name} got {s.recv(1024).decode()!r}")

if __name__ == "__main__":
    ready = Event()
    server = Process(target=serve, args=(ready,))
    server.start()
    ready.wait()
    clients = [Process(target=client, args=(n,)) for n in ("ana", "bo")]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    time.sleep(1)
    server.terminate()
    server.join()
    print("server stopped")
`;

export const hangUp: ExerciseSpec = {
  id: "13-hang-up",
  lesson: "tcp-server",
  entry: "main.py",
  starter: {
    "main.py": program(`def handle(conn):
    with conn:
        while True:
            data = conn.recv(1024)
            conn.sendall(data.upper())
    print("handler: client hung up")
`),
  },
  solution: {
    "main.py": program(`def handle(conn):
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            conn.sendall(data.upper())
    print("handler: client hung up")
`),
  },
  timeoutMs: 15000,
  hints: [
    { en: "When the client closes its end, recv() returns b\"\" immediately, again and again.", zh: "客户端关闭它那一端后，recv() 会立刻返回 b\"\"，而且一直如此。" },
    { en: "Leave the loop when data is empty: if not data: break", zh: "data 为空时跳出循环：if not data: break" },
  ],
  checks: [
    runCheck((run) => {
      const byes = outputLines(run).filter((l) => l === "handler: client hung up").length;
      return byes < 2
        ? {
            en: `Only ${byes} of 2 handlers noticed that their client hung up. After a hang-up recv() returns b"" forever; a loop that does not check for it never ends.`,
            zh: `2 个处理进程中只有 ${byes} 个发现客户端挂断了。挂断之后 recv() 会一直返回 b""，不检查它的循环永远不会结束。`,
          }
        : null;
    }),
    finishes(),
    noTraceback(),
    outputMatches("ana got 'HI FROM ANA'\nbo got 'HI FROM BO'\nhandler: client hung up\nhandler: client hung up\nserver stopped\n", { unordered: true }),
  ],
};

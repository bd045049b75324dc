import { finishes, noTraceback, outputLines, outputMatches, processTree, runCheck, type ExerciseSpec } from "../exercise";

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
    runCheck((run) => {
      // The kernel's record: the server process started one handler per client, and both ended normally.
      const tree = processTree(run);
      const server = tree.children[0];
      const handlers = run.events.filter((e) => e.type === "spawn" && e.ppid === server).map((e) => (e.type === "spawn" ? e.pid : -1));
      const ended = handlers.filter((pid) => tree.exitCodes.get(pid) === 0).length;
      return handlers.length === 2 && ended === 2
        ? null
        : { en: `The server should start a handler process per client (2), and each should end by itself; ${handlers.length} started, ${ended} ended normally.`, zh: `服务器应当为每个客户端启动一个处理进程（共 2 个），并且每个都应自己结束；实际启动了 ${handlers.length} 个，正常结束的有 ${ended} 个。` };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": 'print("ana got \'HI FROM ANA\'")\nprint("bo got \'HI FROM BO\'")\nprint("handler: client hung up")\nprint("handler: client hung up")\nprint("server stopped")\n' } },
    {
      why: "bytes compared with a str (b\"\" is never \"\")",
      files: {
        "main.py": program(`def handle(conn):
    with conn:
        while True:
            data = conn.recv(1024)
            if data == "":
                break
            conn.sendall(data.upper())
    print("handler: client hung up")
`),
      },
    },
  ],
};

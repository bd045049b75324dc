import { finishes, noTraceback, outputMatches, sourceIncludes, type ExerciseSpec } from "../exercise";

export const pipeSquares: ExerciseSpec = {
  id: "11-pipe-squares",
  lesson: "queues-and-pipes",
  entry: "main.py",
  starter: {
    "main.py": `from multiprocessing import Pipe, Process

def squarer(conn):
    # receive numbers until None; answer each one with its square
    pass

if __name__ == "__main__":
    mine, theirs = Pipe()
    p = Process(target=squarer, args=(theirs,))
    p.start()
    answers = []
    # send 1 to 5, collect the answers, then send None
    p.join()
    print("squares:", answers)
`,
  },
  solution: {
    "main.py": `from multiprocessing import Pipe, Process

def squarer(conn):
    while True:
        n = conn.recv()
        if n is None:
            break
        conn.send(n * n)

if __name__ == "__main__":
    mine, theirs = Pipe()
    p = Process(target=squarer, args=(theirs,))
    p.start()
    answers = []
    for n in range(1, 6):
        mine.send(n)
        answers.append(mine.recv())
    mine.send(None)
    p.join()
    print("squares:", answers)
`,
  },
  hints: [
    { en: "In the child: loop, n = conn.recv(), stop on None, otherwise conn.send(n * n).", zh: "子进程里：循环执行 n = conn.recv()，收到 None 就停，否则 conn.send(n * n)。" },
    { en: "In the parent: for each n, mine.send(n) then answers.append(mine.recv()). Send None before join().", zh: "父进程里：对每个 n，先 mine.send(n)，再 answers.append(mine.recv())。join() 之前记得发送 None。" },
  ],
  checks: [
    sourceIncludes(/\.send\(/, { en: "Send the numbers over the pipe with send().", zh: "用 send() 把数字通过管道发出去。" }),
    finishes({ en: "Your program never finished. Does the child stop when it receives None, and does the parent send it?", zh: "你的程序一直没结束。子进程收到 None 时会停下吗？父进程发送 None 了吗？" }),
    noTraceback(),
    outputMatches("squares: [1, 4, 9, 16, 25]\n"),
  ],
};

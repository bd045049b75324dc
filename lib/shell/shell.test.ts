/**
 * The shell driven like a terminal, on a real machine (Node host: Pyodide in worker_threads).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Machine } from "@/lib/runtime/machine";
import { createNodeMachine } from "@/lib/runtime/node";
import { portOf } from "@/lib/runtime/port";
import { Shell } from "./shell";

const enc = new TextEncoder();

/** Everything the shell wrote, without colours, and a way to wait for text to appear. */
class Screen {
  raw = "";
  write = (s: string): void => {
    this.raw += s;
  };
  get text(): string {
    return this.raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/\r/g, "");
  }
  mark(): number {
    return this.text.length;
  }
  since(mark: number): string {
    return this.text.slice(mark);
  }
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const t = this.since(from);
      if (pattern.test(t)) return t;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${pattern}; screen:\n${this.since(from)}`);
  }
}

const PROMPT = /user@spawnpoint:~\$ $/;
// A background job may print right after the prompt (as in bash): find the first prompt, not the last.
const FIRST_PROMPT = /user@spawnpoint:~\$ /;

describe("Shell", () => {
  let machine: Machine;
  let screen: Screen;
  let shell: Shell;

  /** Types a command and waits for the next prompt; returns what was printed in between. */
  async function run(line: string, timeoutMs = 30_000): Promise<string> {
    const m = screen.mark();
    shell.input(line + "\r");
    const out = await screen.waitFor(FIRST_PROMPT, m, timeoutMs);
    return out.slice(line.length + 1, out.search(FIRST_PROMPT));
  }

  beforeAll(async () => {
    machine = createNodeMachine({ poolSize: 2 });
    await machine.warm();
    const put = (name: string, src: string) => machine.fs.writeFile(`${machine.cwd}/${name}`, enc.encode(src));
    put("hello.py", "import sys\nprint('hello', *sys.argv[1:])\nsys.exit(3)\n");
    put(
      "loop.py",
      "import time\ntry:\n    print('started', flush=True)\n    while True:\n        time.sleep(0.05)\nexcept KeyboardInterrupt:\n    print('interrupted')\n",
    );
    put("one.py", "print('got', input())\n");
    put("nap.py", "import time\nprint('napping', flush=True)\ntime.sleep(0.5)\n");
    put("reader.py", "n = 0\ntry:\n    while True:\n        line = input()\n        n += 1\n        print('got', line)\nexcept EOFError:\n    print('EOF after', n, 'lines')\n");
    put(
      "server.py",
      [
        "import socket",
        "with socket.create_server(('127.0.0.1', 5050)) as srv:",
        "    print('listening', flush=True)",
        "    while True:",
        "        conn, _ = srv.accept()",
        "        with conn:",
        "            conn.sendall(conn.recv(100).upper())",
        "",
      ].join("\n"),
    );
    put(
      "usr1.py",
      "import signal, time\nsignal.signal(signal.SIGUSR1, lambda s, f: print('got USR1', flush=True))\nprint('ready', flush=True)\nwhile True:\n    time.sleep(0.05)\n",
    );
    put("client.py", "import socket\nwith socket.create_connection(('localhost', 5050)) as c:\n    c.sendall(b'ping')\n    print('reply', c.recv(100))\n");
    screen = new Screen();
    shell = new Shell({ machine: portOf(machine), write: screen.write });
    shell.start();
    await screen.waitFor(PROMPT);
  });

  afterAll(() => {
    shell?.dispose();
    machine?.dispose();
  });

  describe("built-ins", () => {
    it("should say command not found with status 127 like bash", async () => {
      expect(await run("frobnicate --now")).toBe("frobnicate: command not found\n");
      expect(await run("echo $?")).toBe("127\n");
    });

    it("should write, append, list, print and remove files", async () => {
      expect(await run("echo first line > notes.txt")).toBe("");
      await run("echo second >> notes.txt");
      expect(await run("cat notes.txt")).toBe("first line\nsecond\n");
      expect(await run("ls")).toMatch(/\bnotes\.txt\b.*\bserver\.py\b/);
      expect(await run("rm notes.txt")).toBe("");
      expect(await run("cat notes.txt")).toBe("cat: notes.txt: No such file or directory\n");
      expect(await run("rm notes.txt")).toBe("rm: cannot remove 'notes.txt': No such file or directory\n");
    });

    it("should keep history and list it", async () => {
      await run("echo a");
      const out = await run("history");
      expect(out).toMatch(/^\s+\d+ {2}echo a$/m);
      expect(shell.history[shell.history.length - 1]).toBe("history");
    });

    it("should clear the screen", async () => {
      const m = screen.raw.length;
      shell.input("clear\r");
      await screen.waitFor(PROMPT, screen.mark());
      expect(screen.raw.slice(m)).toContain("\x1b[2J");
    });
  });

  describe("python", () => {
    it("should run a file in the foreground with its arguments and exit status", async () => {
      expect(await run("python hello.py a b")).toBe("hello a b\n");
      expect(shell.lastStatus).toBe(3);
    });

    it("should redirect a program's output to a file", async () => {
      expect(await run("python hello.py to a file > out.txt")).toBe("");
      expect(await run("cat out.txt")).toBe("hello to a file\n");
      await run("python hello.py again >> out.txt");
      expect(await run("cat out.txt")).toBe("hello to a file\nhello again\n");
      // A file is no terminal (python3 under bash says so too), and stderr stays the terminal.
      expect(await run(`python3 -c "import sys; print(sys.stdout.isatty(), sys.stdout.line_buffering, sys.stderr.isatty())" > out.txt`)).toBe("");
      expect(await run("cat out.txt")).toBe("False False True\n");
      await run("rm out.txt");
    });

    it("should drop the typed line on Ctrl-C at the prompt and set $? to 130", async () => {
      const m = screen.mark();
      shell.input("echo never");
      shell.input("\x03");
      await screen.waitFor(PROMPT, m);
      expect(screen.since(m)).not.toContain("never\n");
      expect(await run("echo $?")).toBe("130\n");
    });

    it("should run python -c", async () => {
      expect(await run(`python3 -c "print(6 * 7)"`)).toBe("42\n");
      // CPython shows '-c' as argv[0], not the temp file the code runs from.
      expect(await run(`python3 -c "import sys; print(sys.argv)" a b`)).toBe("['-c', 'a', 'b']\n");
    });

    it("should print CPython's error for a missing file", async () => {
      expect(await run("python nope.py")).toBe("python: can't open file '/home/user/nope.py': [Errno 2] No such file or directory\n");
      expect(shell.lastStatus).toBe(2);
    });

    it("should send SIGINT to the foreground program on Ctrl-C (KeyboardInterrupt)", async () => {
      const m = screen.mark();
      shell.input("python loop.py\r");
      await screen.waitFor(/started\n/, m);
      shell.input("\x03");
      const out = await screen.waitFor(PROMPT, m);
      expect(out).toContain("^C");
      expect(out).toContain("interrupted\n");
      expect(shell.lastStatus).toBe(0);
    });

    it("should feed typed lines to input() and end it with Ctrl-D (EOFError)", async () => {
      const m = screen.mark();
      shell.input("python reader.py\r");
      await new Promise((r) => setTimeout(r, 300));
      shell.input("one\r");
      await screen.waitFor(/got one\n/, m);
      shell.input("two\r");
      await screen.waitFor(/got two\n/, m);
      shell.input("\x04");
      const out = await screen.waitFor(PROMPT, m);
      expect(out).toContain("EOF after 2 lines\n");
    });
  });

  describe("typeahead", () => {
    it("should give a pasted command's next line to the program and run the line after it as the next command", async () => {
      const m = screen.mark();
      shell.input("python one.py\rfirst\recho after\r");
      const out = await screen.waitFor(/after\n[^]*user@spawnpoint:~\$ $/, m);
      expect(out).toContain("got first\n");
      expect(out.indexOf("got first\n")).toBeLessThan(out.lastIndexOf("after\n"));
    });

    it("should run the lines a program left unread as the next commands, and keep a line begun meanwhile at the prompt", async () => {
      const m = screen.mark();
      shell.input("python nap.py\r");
      await screen.waitFor(/napping\n/, m);
      // Typed while the program sleeps and reads nothing: the tty keeps it for bash.
      shell.input("echo typed ahead\rech");
      const out = await screen.waitFor(/typed ahead\n[^]*user@spawnpoint:~\$ ech$/, m);
      // Echoed as typed, echoed again at the prompt that reads it (as bash shows it), run once;
      // the prompt starts with a carriage return, so on screen it covers the "ech" typed before it.
      expect(out.split("\n").slice(1)).toEqual(["napping", "echo typed ahead", "echuser@spawnpoint:~$ echo typed ahead", "typed ahead", "user@spawnpoint:~$ ech"]);
      expect(await run("o done")).toBe("done\n");
    });

    it("should throw typed-ahead lines away on Ctrl-C, as Linux's tty does", async () => {
      const m = screen.mark();
      shell.input("python loop.py\r");
      await screen.waitFor(/started\n/, m);
      shell.input("echo lost\recho lost too");
      shell.input("\x03");
      const out = await screen.waitFor(/interrupted\n[^]*user@spawnpoint:~\$ $/, m);
      expect(out).not.toMatch(/^lost/m);
      expect(await run("echo kept")).toBe("kept\n");
    });

    it("should keep keys typed while a built-in runs for the next prompt", async () => {
      const m = screen.mark();
      // One chunk: the first line starts a built-in, the second waits for the prompt after it.
      shell.input("echo one\recho two\r");
      const out = await screen.waitFor(/two\n[^]*user@spawnpoint:~\$ $/, m);
      expect(out).toMatch(/one\n[^]*echo two\ntwo\n/);
    });
  });

  describe("jobs", () => {
    it("should run a server in the background, talk to it from a client, show it in jobs/ps/pstree and kill it", async () => {
      const before = screen.mark();
      const started = await run("python server.py &");
      const [, jobId, pid] = /^\[(\d+)\] (\d+)\n/.exec(started) ?? [];
      expect(jobId).toBe("1");
      await screen.waitFor(/listening\n/, before);
      expect(await run("python client.py")).toBe("reply b'PING'\n");
      expect(await run("jobs")).toBe("[1]+  Running                 python server.py &\n");
      const ps = await run("ps");
      expect(ps.split("\n")[0]).toBe("    PID    PPID STAT     TIME CMD");
      expect(ps).toMatch(new RegExp(`^\\s+${pid}\\s+1 S\\s+\\d\\d:\\d\\d:\\d\\d python server\\.py$`, "m"));
      expect(ps).toMatch(/^\s+1\s+0 \S+\s+\S+ init$/m);
      expect(await run("pstree")).toContain(`init(1)───python(${pid})`);
      const m = screen.mark();
      await run(`kill %1`);
      const notice = await screen.waitFor(/\[1\]\+ {2}Terminated {14}python server\.py/, m);
      expect(notice).toBeTruthy();
      expect(await run("jobs")).toBe("");
      expect(await run(`kill ${pid}`)).toBe(`kill: (${pid}) - No such process\n`);
    });

    it("should bring a background job to the foreground with fg, where Ctrl-C reaches it", async () => {
      const before = screen.mark();
      await run("python loop.py &");
      await screen.waitFor(/started\n/, before);
      const m = screen.mark();
      shell.input("fg\r");
      await screen.waitFor(/python loop\.py\n/, m);
      shell.input("\x03");
      const out = await screen.waitFor(PROMPT, m);
      expect(out).toContain("interrupted\n");
      expect(await run("fg")).toBe("fg: current: no such job\n");
    });

    it("should reject signals the kernel does not have and explain kill's usage", async () => {
      expect(await run("kill -RTMIN 1")).toMatch(/kill: RTMIN: invalid signal specification/);
      expect(await run("kill -40 1")).toMatch(/kill: 40: invalid signal specification/);
      expect(await run("kill")).toMatch(/^kill: usage:/);
      expect(await run("kill -9 1")).toBe("kill: (1) - Operation not permitted\n");
    });
  });

  describe("job control", () => {
    it("should stop the foreground job on Ctrl-Z (T in ps and jobs), go on with bg, stop and continue with kill, and come back with fg", async () => {
      const before = screen.mark();
      shell.input("python3 loop.py\r");
      await screen.waitFor(/started\n/, before);
      shell.input("\x1a");
      const stopped = await screen.waitFor(PROMPT, before);
      expect(stopped).toMatch(/\^Z\n\[1\]\+ {2}Stopped {17}python3 loop\.py\n/);
      expect(shell.lastStatus).toBe(148);
      expect(await run("ps")).toMatch(/^\s+\d+\s+1 T\s+\S+ python3 loop\.py$/m);
      expect(await run("jobs")).toBe("[1]+  Stopped                 python3 loop.py\n");
      expect(await run("bg")).toBe("[1]+ python3 loop.py &\n");
      expect(await run("jobs")).toBe("[1]+  Running                 python3 loop.py &\n");
      expect(await run("bg %1")).toBe("bg: job 1 already in background\n");
      // bash reports the stop before its next prompt.
      expect(await run("kill -STOP %1")).toBe("[1]+  Stopped                 python3 loop.py\n");
      expect(await run("jobs")).toBe("[1]+  Stopped                 python3 loop.py\n");
      expect(await run("kill -CONT %1")).toBe("");
      expect(await run("jobs")).toBe("[1]+  Running                 python3 loop.py &\n");
      const m = screen.mark();
      shell.input("fg %1\r");
      await screen.waitFor(/python3 loop\.py\n/, m);
      shell.input("\x03");
      const out = await screen.waitFor(PROMPT, m);
      // Stopping and continuing did not disturb the program: only Ctrl-C ends it.
      expect(out).toBe("fg %1\npython3 loop.py\n^C\ninterrupted\nuser@spawnpoint:~$ ");
      expect(await run("jobs")).toBe("");
    });

    it("should list Linux's signals, name one by number, and send SIGUSR1 to a handler with kill -s", async () => {
      expect(await run("kill -l")).toMatch(/^ 1\) SIGHUP\t 2\) SIGINT\t 3\) SIGQUIT\t 4\) SIGILL\t 5\) SIGTRAP\n 6\) SIGABRT\t.*\n31\) SIGSYS\n$/s);
      expect(await run("kill -l 15")).toBe("TERM\n");
      expect(await run("kill -l USR1")).toBe("10\n");
      const before = screen.mark();
      await run("python3 usr1.py &");
      await screen.waitFor(/ready\n/, before);
      expect(await run("kill -s USR1 %1")).toBe("");
      await screen.waitFor(/got USR1\n/, before);
      const m = screen.mark();
      await run("kill -USR2 %1");
      await screen.waitFor(/\[1\]\+ {2}User defined signal 2 {3}python3 usr1\.py/, m);
    });
  });
});

import { describe, expect, it } from "vitest";
import { TERMINAL_SCROLLBACK } from "./program";
import { ExampleSession, type OutputSink, type SessionMachine } from "./session";
import { formatDeadlock, type KernelEvent } from "@/lib/kernel";
import { Signal, type SignalNumber, type TextChunk } from "@/lib/runtime/port";

/** A scripted machine: the test drives output and events by hand. */
class ScriptedMachine implements SessionMachine {
  out = new Set<(c: TextChunk) => void>();
  ev = new Set<(e: KernelEvent) => void>();
  signals: [number, SignalNumber][] = [];
  stdin: string[] = [];
  nextPid = 2;
  exits = new Map<number, (code: number) => void>();
  alive = new Set<number>();
  run() {
    const pid = this.nextPid++;
    this.event({ type: "spawn", t: 0, pid, ppid: 1, name: "MainProcess", daemon: false });
    this.alive.add(pid);
    const exit = new Promise<number>((r) => this.exits.set(pid, r));
    return { pid, exit, unreadInput: () => "" };
  }
  onOutput(l: (c: TextChunk) => void) {
    this.out.add(l);
    return () => this.out.delete(l);
  }
  onEvent(l: (e: KernelEvent) => void) {
    this.ev.add(l);
    return () => this.ev.delete(l);
  }
  signal(pid: number, sig: SignalNumber) {
    this.signals.push([pid, sig]);
    if (sig === Signal.SIGKILL && this.alive.has(pid)) this.exit(pid, -9);
  }
  writeStdin(t: string) {
    this.stdin.push(t);
  }
  closeStdin() {
    this.stdin.push("<EOF>");
  }
  print(pid: number, text: string, fd: 1 | 2 = 1) {
    for (const l of this.out) l({ pid, fd, text });
  }
  event(e: KernelEvent) {
    for (const l of this.ev) l(e);
  }
  exit(pid: number, code: number) {
    this.alive.delete(pid);
    this.event({ type: "exit", t: 0, pid, exitCode: code });
    this.exits.get(pid)?.(code);
  }
}

class MemorySink implements OutputSink {
  text = "";
  listeners = new Set<(d: string) => void>();
  write(t: string) {
    this.text += t;
  }
  flushNow() {}
  clear() {
    this.text = "";
  }
  onInput(l: (d: string) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  type(d: string) {
    for (const l of this.listeners) l(d);
  }
  dispose() {}
}

function setup(ready = true) {
  const machine = new ScriptedMachine();
  let release: (m: SessionMachine) => void = () => {};
  const booted = ready ? Promise.resolve<SessionMachine>(machine) : new Promise<SessionMachine>((r) => (release = r));
  const sinks: MemorySink[] = [];
  const session = new ExampleSession({
    machine: () => booted,
    readyMachine: () => (ready ? machine : null),
    createSink: () => {
      const s = new MemorySink();
      sinks.push(s);
      return s;
    },
    messages: { exited: (c) => `exited ${c}`, stopped: "stopped", scrolledOut: (n, k) => `scrolled out ${n - k} of ${n}`, deadlock: (r) => formatDeadlock(r, "zh") },
    schedule: (cb) => cb(),
  });
  return { machine, session, sinks, boot: () => release(machine) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe("ExampleSession", () => {
  describe("run", () => {
    it("should stream the program's output to its terminal and report the exit", async () => {
      const { machine, session, sinks } = setup();
      void session.run("main.py", { "main.py": "print(1)" });
      await tick();
      machine.print(2, "hello\n");
      machine.event({ type: "spawn", t: 0, pid: 3, ppid: 2, name: "Process-1", daemon: false });
      machine.print(3, "from child\n");
      machine.exit(2, 0);
      await tick();
      expect(plain(sinks[0].text)).toBe("hello\nfrom child\nexited 0\n");
      expect(session.snapshot().programs[0]).toMatchObject({ status: "exited", exitCode: 0, output: "hello\nfrom child\n" });
    });

    it("should put the exit notice on a line of its own after output that did not end one (the first test: no blank line after one that did)", async () => {
      const { machine, session, sinks } = setup();
      void session.run("main.py", { "main.py": "" });
      await tick();
      machine.print(2, "tail without newline");
      machine.exit(2, 0);
      await tick();
      expect(plain(sinks[0].text)).toBe("tail without newline\r\nexited 0\n");
      // stderr's line ends in a colour reset after its newline: still no blank line.
      void session.run("main.py", { "main.py": "" });
      await tick();
      machine.print(session.snapshot().programs[0].pid!, "fatal: parent gives up\n", 2);
      machine.exit(session.snapshot().programs[0].pid!, 1);
      await tick();
      expect(plain(sinks[0].text)).toBe("fatal: parent gives up\nexited 1\n");
    });

    it("should say after the end notice how many lines scrolled out of the terminal, once it holds fewer than the program printed", async () => {
      const { machine, session, sinks } = setup();
      void session.run("main.py", { "main.py": "" });
      await tick();
      machine.print(2, "line\n".repeat(TERMINAL_SCROLLBACK));
      machine.exit(2, 0);
      await tick();
      expect(plain(sinks[0].text)).toMatch(/line\nexited 0\n$/);
      void session.run("main.py", { "main.py": "" });
      await tick();
      machine.print(session.snapshot().programs[0].pid!, "line\n".repeat(TERMINAL_SCROLLBACK + 7));
      machine.exit(session.snapshot().programs[0].pid!, 0);
      await tick();
      expect(plain(sinks[0].text)).toMatch(/line\nexited 0\nscrolled out 7 of 5007\n$/);
    });

    it("should show its program's deadlock in its terminal and the panel, in the page's language, until the next run", async () => {
      const { machine, session, sinks } = setup();
      void session.run("main.py", { "main.py": "" });
      await tick();
      machine.event({ type: "spawn", t: 0, pid: 3, ppid: 2, name: "worker", daemon: false });
      const report = {
        program: 2,
        waits: [{ pid: 2, on: "join" as const, kind: "process" as const, ordinal: 0, holder: 3, object: "pid 3" }, { pid: 3, on: "queue" as const, kind: "queue" as const, ordinal: 1, holder: null, object: "queue#40" }],
        processes: [{ pid: 2, name: "MainProcess", exitCode: null }, { pid: 3, name: "worker", exitCode: null }],
        cycle: [],
      };
      machine.event({ type: "deadlock", t: 0, pid: 99, report: { ...report, program: 99 } });
      expect(session.snapshot().deadlock ?? null).toBeNull();
      machine.event({ type: "deadlock", t: 0, pid: 2, report });
      expect(session.snapshot().deadlock).toEqual(["死锁：这个程序的每个进程都在等待，没有任何事情能唤醒它们", "MainProcess 等待 worker 结束（join）", "worker 等待 Queue #1"]);
      expect(plain(sinks[0].text)).toContain("死锁：这个程序的每个进程都在等待，没有任何事情能唤醒它们\r\n  MainProcess 等待 worker 结束（join）\r\n  worker 等待 Queue #1");
      machine.exit(3, -9);
      machine.exit(2, -9);
      void session.run("main.py", { "main.py": "" });
      await tick();
      expect(session.snapshot().deadlock ?? null).toBeNull();
    });

    it("should hand the program to a booted machine before run() yields, so the page re-renders while the worker starts", () => {
      const { machine, session } = setup();
      const handedOver: boolean[] = [];
      session.subscribe(() => handedOver.push(machine.nextPid > 2));
      void session.run("main.py", { "main.py": "print(1)" });
      expect(machine.nextPid).toBe(3); // pid 2 was started, synchronously
      expect(handedOver.length).toBeGreaterThan(0);
      expect(handedOver.every(Boolean)).toBe(true); // no update reached the page before it
    });

    it("should queue a run until the machine is ready", async () => {
      const { machine, session, sinks, boot } = setup(false);
      const done = session.run("main.py", {});
      expect(session.snapshot().queued).toBe(true);
      boot();
      await tick();
      expect(session.snapshot().programs[0].status).toBe("running");
      machine.print(2, "ok\n");
      machine.exit(2, 0);
      await done;
      expect(plain(sinks[0].text)).toContain("ok\n");
    });

    it("should ignore output of processes it did not start", async () => {
      const { machine, session, sinks } = setup();
      void session.run("main.py", {});
      await tick();
      machine.event({ type: "spawn", t: 0, pid: 40, ppid: 1, name: "other", daemon: false });
      machine.print(40, "not mine\n");
      expect(sinks[0].text).toBe("");
    });

    it("should keep two programs apart (server and client at once)", async () => {
      const { machine, session, sinks } = setup();
      void session.run("server.py", {});
      await tick();
      void session.run("client.py", {});
      await tick();
      machine.print(2, "listening\n");
      machine.print(3, "connected\n");
      expect(plain(sinks[0].text)).toBe("listening\n");
      expect(plain(sinks[1].text)).toBe("connected\n");
      expect(session.snapshot().rows.map((r) => r.pid)).toEqual([2, 3]);
    });
  });

  describe("stop", () => {
    it("should kill every live process of the example, children first (killed parents first, they showed as orphans of init)", async () => {
      const { machine, session } = setup();
      void session.run("main.py", {});
      await tick();
      machine.event({ type: "spawn", t: 0, pid: 3, ppid: 2, name: "Process-1", daemon: false });
      machine.alive.add(3);
      await session.stop();
      expect(machine.signals).toEqual([[3, Signal.SIGKILL], [2, Signal.SIGKILL]]);
      expect(session.snapshot().busy).toBe(false);
      expect(session.snapshot().programs[0].status).toBe("stopped");
    });
  });

  describe("terminal input", () => {
    it("should echo typed keys and hand whole lines to stdin; Ctrl-D is EOF and Ctrl-C is SIGINT", async () => {
      const { machine, session, sinks } = setup();
      void session.run("main.py", {});
      await tick();
      sinks[0].type("Ada\r");
      sinks[0].type("\x04");
      sinks[0].type("\x03");
      expect(machine.stdin).toEqual(["Ada\n", "<EOF>"]);
      expect(sinks[0].text).toContain("Ada\r\n");
      expect(machine.signals).toEqual([[2, Signal.SIGINT]]);
    });
  });
});

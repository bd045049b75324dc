/**
 * The host survives any worker: a worker's messages and control-block words are untrusted.
 * Each attack runs against a real process (a Python program on the Node host) with the
 * hostile message posted into that worker's real message stream, as its own Python would in
 * a browser through `self.postMessage`. The process must die with a "protocol violation"
 * diagnosis; the host and the next program must be fine.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INIT_PID } from "@/lib/kernel";
import { CTL } from "./protocol";
import { Machine } from "./machine";
import { createNodePlatform } from "./node";
import type { Platform, WorkerHandle } from "./platform";
import type { HostToWorker } from "./protocol";

const decoder = new TextDecoder();

/** A worker whose incoming messages the test can add to, and whose control block it can write. */
interface Spied {
  pid: number | null;
  ctl: Int32Array | null;
  deliver: (msg: unknown) => void;
}

const spied: Spied[] = [];

function spyingPlatform(): Platform {
  const real = createNodePlatform();
  return {
    ...real,
    createWorker: (): WorkerHandle => {
      const w = real.createWorker();
      const handlers: ((m: unknown) => void)[] = [];
      const s: Spied = { pid: null, ctl: null, deliver: (m) => handlers.forEach((h) => h(m)) };
      spied.push(s);
      return {
        post: (msg: HostToWorker, transfer?: ArrayBuffer[]) => {
          if (msg.type === "boot") s.ctl = new Int32Array(msg.ctl);
          else if (msg.type === "start") s.pid = msg.pid;
          w.post(msg, transfer);
        },
        onMessage: (h) => {
          handlers.push(h);
          w.onMessage(h);
        },
        onError: (h) => w.onError(h),
        terminate: () => w.terminate(),
      };
    },
  };
}

let machine: Machine;

beforeAll(async () => {
  machine = new Machine(spyingPlatform(), { poolSize: 1 });
  await machine.warm();
}, 300_000);

afterAll(() => machine.dispose());

/** Runs `code`; once it printed "up", `attack` gets its worker. Returns the program's output and exit code. */
async function runAttacked(code: string, attack: (w: Spied, pid: number) => void): Promise<{ stdout: string; stderr: string; exit: number }> {
  let stdout = "";
  let stderr = "";
  let attacked = false;
  const h = machine.run({ files: { "victim.py": code }, entry: "victim.py" });
  const off = machine.onOutput((c) => {
    if (c.pid !== h.pid) return;
    if (c.fd === 1) stdout += decoder.decode(c.data);
    else stderr += decoder.decode(c.data);
    if (!attacked && stdout.includes("up")) {
      attacked = true;
      // Let the program reach its blocking call before the attack.
      setTimeout(() => {
        const w = spied.find((s) => s.pid === h.pid);
        if (!w) throw new Error("no worker for pid");
        attack(w, h.pid);
      }, 300);
    }
  });
  try {
    const exit = await h.exit;
    return { stdout, stderr, exit };
  } finally {
    off();
  }
}

async function stillWorks(): Promise<void> {
  let out = "";
  const off = machine.onOutput((c) => (out += decoder.decode(c.data)));
  const code = await machine.run({ files: { "ok.py": "import multiprocessing as mp\nprint(6 * 7, mp.Process)\n" }, entry: "ok.py" }).exit;
  off();
  expect(code).toBe(0);
  expect(out).toContain("42");
  expect(machine.processes().map((p) => p.pid)).toEqual([INIT_PID]);
}

const SLEEPER = "import time\nprint('up', flush=True)\ntime.sleep(60)\n";
const READER = "print('up', flush=True)\ninput()\n";

describe("a hostile worker", () => {
  const messages: [string, unknown][] = [
    ["null", null],
    ["output with a number as data", { type: "output", fd: 1, data: 5, seq: 0 }],
    ["output on fd 7", { type: "output", fd: 7, data: new Uint8Array(1), seq: -1 }],
    ["a syscall whose args are not JSON", { type: "syscall", name: "getpid", args: new Map(), bytes: null, reply: false }],
    ["an unknown type", { type: "reboot" }],
    ["reply_more with no reply in progress", { type: "reply_more" }],
    ["ready with bytecode that is not bytes", { type: "ready", pyc: { "_spawnpoint/main.py": "print('pwned')" } }],
    ["ready with a boot phase that is not [name, time]", { type: "ready", phases: [["boot", "soon"]] }],
  ];
  for (const [what, msg] of messages) {
    it(`should kill only its process when it posts ${what}`, async () => {
      const r = await runAttacked(SLEEPER, (w) => w.deliver(msg));
      expect(r.exit).toBe(-9);
      expect(r.stderr).toMatch(/protocol violation by pid \d+/);
      await stillWorks();
    }, 120_000);
  }

  it("should treat a second blocking syscall while one is pending as a violation", async () => {
    const r = await runAttacked(READER, (w) => w.deliver({ type: "syscall", name: "getpid", args: {}, bytes: null, reply: true }));
    expect(r.exit).toBe(-9);
    expect(r.stderr).toContain("while another blocking syscall is pending");
    await stillWorks();
  }, 120_000);

  it("should survive a wait index of 2^30 in the control block, then Ctrl-C", async () => {
    const r = await runAttacked(SLEEPER, (w) => {
      if (!w.ctl) throw new Error("no control block");
      Atomics.store(w.ctl, CTL.WAIT_INDEX, 2 ** 30);
      machine.interrupt();
    });
    expect(r.stderr).toContain("outside the shared heap");
    expect(r.exit).toBe(-9);
    await stillWorks();
  }, 120_000);

  it("should keep running when an output or event listener throws", async () => {
    const offOut = machine.onOutput(() => {
      throw new TypeError("listener bug");
    });
    const offEv = machine.onEvent(() => {
      throw new TypeError("listener bug");
    });
    try {
      await stillWorks();
    } finally {
      offOut();
      offEv();
    }
  }, 120_000);
});

describe("the interpreter's libc", () => {
  it("should run no host shell for system() (os.system, ctypes) and answer getuid() without the host's process", async () => {
    const marker = path.join(os.tmpdir(), `spawnpoint-system-${process.pid}`);
    const probe = [
      "import ctypes, os",
      `print('system', ctypes.CDLL(None).system(${JSON.stringify(`touch ${marker}`)}.encode()))`,
      "print('uid', os.getuid())",
    ].join("\n");
    let out = "";
    const off = machine.onOutput((c) => (out += decoder.decode(c.data)));
    const code = await machine.run({ files: { "probe.py": probe }, entry: "probe.py" }).exit;
    off();
    expect(out).toBe("system -1\nuid 0\n");
    expect(fs.existsSync(marker)).toBe(false);
    expect(code).toBe(0);
  }, 120_000);
});

describe("a process worker's global scope", () => {
  it("should give Python's js module no outside authority (network, storage, workers, process, require)", async () => {
    const probe = [
      "import js",
      "names = ['process', 'require', 'module', 'Buffer', 'fetch', 'eval', 'WebSocket', 'XMLHttpRequest', 'EventSource', 'caches',",
      "         'indexedDB', 'Worker', 'SharedWorker', 'importScripts', 'BroadcastChannel', 'MessageChannel', 'open', 'localStorage', 'postMessage']",
      "print('reachable', [n for n in names if getattr(js, n, None) is not None])",
      // Code built from the Function constructor sees the same global scope.
      "print('via Function', js.setTimeout.constructor('return typeof process + typeof require')())",
      "try:",
      "    from js import process",
      "    print('imported process')",
      "except ImportError as e:",
      "    print('ImportError')",
    ].join("\n");
    let out = "";
    const off = machine.onOutput((c) => (out += decoder.decode(c.data)));
    const code = await machine.run({ files: { "probe.py": probe }, entry: "probe.py" }).exit;
    off();
    expect(out).toContain("reachable []");
    expect(out).toContain("via Function undefinedundefined");
    expect(out).toContain("ImportError");
    expect(code).toBe(0);
  }, 120_000);
});

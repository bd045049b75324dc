/**
 * The runtime's bytecode kept across sessions (bytecode-cache.ts): the blob format, and on the
 * Node host that a second machine's first workers boot with the bytecode the first one made.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeBytecode, encodeBytecode } from "./bytecode-cache";
import { Machine } from "./machine";
import { createNodePlatform } from "./node";
import type { Platform } from "./platform";

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-bytecode-"));
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

describe("encodeBytecode / decodeBytecode", () => {
  const python = { "a/__init__.py": "", "a/b.py": "x = 1", "data.txt": "not Python" };
  const pyc = { "a/__init__.py": new Uint8Array([1, 2, 3]), "a/b.py": new Uint8Array([4, 5]) };

  it("should give back every file's bytes", () => {
    expect(decodeBytecode(encodeBytecode(pyc), python)).toEqual(pyc);
  });

  it("should refuse a blob that misses a runtime file, is cut short, or has bytes after its files", () => {
    expect(decodeBytecode(encodeBytecode({ "a/b.py": pyc["a/b.py"] }), python)).toBeNull();
    const blob = encodeBytecode(pyc);
    expect(decodeBytecode(blob.subarray(0, blob.length - 1), python)).toBeNull();
    const longer = new Uint8Array(blob.length + 1);
    longer.set(blob);
    expect(decodeBytecode(longer, python)).toBeNull();
    expect(decodeBytecode(new Uint8Array(16), python)).toBeNull();
  });
});

/**
 * A Node machine whose boot messages are recorded (whether each worker was sent the runtime's
 * bytecode). Its snapshot cannot hold the runtime (that snapshot worker fails), so the pool
 * makes one without it: the bytecode is for workers that must import the runtime themselves.
 */
function machineRecordingBoots(): { machine: Machine; boots: boolean[]; stdlib: string[][] } {
  const boots: boolean[] = [];
  const stdlib: string[][] = [];
  const base = createNodePlatform({ cacheDir });
  const platform: Platform = {
    ...base,
    createWorker: () => {
      const w = base.createWorker();
      let fail: (message: string) => void = () => {};
      return {
        ...w,
        onError: (h) => {
          fail = h;
          w.onError(h);
        },
        post: (msg, transfer) => {
          if (msg.type === "boot" && msg.makeSnapshot && Object.keys(msg.python).length > 0) return fail("no runtime in the snapshot in this test");
          if (msg.type === "boot") {
            boots.push(msg.pyc !== null);
            stdlib.push(Object.keys(msg.pyc ?? {}).filter((k) => k.startsWith("@stdlib/")));
          }
          w.post(msg, transfer);
        },
      };
    },
  };
  return { machine: new Machine(platform, { poolSize: 1 }), boots, stdlib };
}

/** A traceback through multiprocessing.connection, which the runtime imports again at boot: its source lines show. */
const PROGRAM = `import multiprocessing, traceback
import multiprocessing.connection as c
print(multiprocessing.current_process().name)
try:
    c.Client(("127.0.0.1", 1))
except ConnectionRefusedError:
    print("c = SocketClient(address)" in traceback.format_exc())
`;

async function runPrint(machine: Machine): Promise<string> {
  let out = "";
  const off = machine.onOutput((c) => (out += new TextDecoder().decode(c.data)));
  const code = await machine.run({ files: { "m.py": PROGRAM }, entry: "m.py" }).exit;
  off();
  return `${code} ${out}`;
}

describe("runtime bytecode across sessions (Node host, no snapshot)", () => {
  it("should boot a new machine's first worker with the bytecode an earlier machine saved, the stdlib modules' code the runtime imports at boot included", async () => {
    const first = machineRecordingBoots();
    try {
      expect(await runPrint(first.machine)).toBe("0 MainProcess\nTrue\n");
    } finally {
      first.machine.dispose();
    }
    // A fresh cache: the first session's first worker compiled the runtime itself.
    expect(first.boots[0]).toBe(false);
    await expect.poll(() => fs.readdirSync(cacheDir).filter((f) => /^runtime-.*\.pyc\.[0-9a-f]{64}$/.test(f)).length).toBe(1);

    const second = machineRecordingBoots();
    try {
      expect(await runPrint(second.machine)).toBe("0 MainProcess\nTrue\n");
    } finally {
      second.machine.dispose();
    }
    expect(second.boots.length).toBeGreaterThan(0);
    expect(second.boots.every(Boolean)).toBe(true);
    // With the code of the stdlib modules the runtime imports again at boot (worker/boot.ts withStdlibCode).
    expect(second.stdlib[0]).toEqual(expect.arrayContaining(["@stdlib/multiprocessing.connection", "@stdlib/multiprocessing.managers", "@stdlib/selectors"]));
  }, 300_000);
});

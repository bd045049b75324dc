/**
 * Lazy files: a new process gets small files with its start message and the others on first
 * open or stat (fs_lookup), so a 200 MiB file costs a child's start nothing. Checked on what
 * the host really posts to each worker, and on what the processes read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Machine } from "./machine";
import { createNodePlatform } from "./node";
import type { HostToWorker } from "./protocol";

const decoder = new TextDecoder();
const BIG = 8 * 2 ** 20;
/** Bytes of each shared file in every `start` message the host posted. */
const started: Map<string, number>[] = [];

let machine: Machine;

beforeAll(async () => {
  const real = createNodePlatform();
  machine = new Machine(
    {
      ...real,
      createWorker: () => {
        const w = real.createWorker();
        return {
          ...w,
          post: (msg: HostToWorker, transfer?: ArrayBuffer[]) => {
            if (msg.type === "start") started.push(new Map(msg.files.map(([p, d]) => [p, d.length])));
            w.post(msg, transfer);
          },
          onMessage: (h) => w.onMessage(h),
          onError: (h) => w.onError(h),
          terminate: () => w.terminate(),
        };
      },
    },
    { poolSize: 2 },
  );
  await machine.warm();
}, 300_000);

afterAll(() => machine.dispose());

const PROGRAM = `
import hashlib, os, multiprocessing as mp

def child(q):
    names = sorted(n for n in os.listdir(".") if n.endswith(".bin"))
    size = os.path.getsize("big.bin")
    with open("big.bin", "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    q.put((names, size, digest))

if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print(*q.get(timeout=60))
    p.join()
    with open("big.bin", "rb") as f:
        print("parent", hashlib.sha256(f.read()).hexdigest()[:16])
`;

describe("lazy files (Node host)", () => {
  it("should start processes without the bytes of big files, and give them the bytes on first use", async () => {
    const big = new Uint8Array(BIG).map((_, i) => (i * 7) & 255);
    machine.writeFiles({ "big.bin": big, "small.bin": "tiny", "lazy.py": PROGRAM });
    const digest = (await crypto.subtle.digest("SHA-256", big)).slice(0, 8);
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    let out = "";
    const off = machine.onOutput((c) => (out += decoder.decode(c.data)));
    const exit = await machine.run({ files: {}, entry: "lazy.py" }).exit;
    off();
    expect(out).toBe(`['big.bin', 'small.bin'] ${BIG} ${hex}\nparent ${hex}\n`);
    expect(exit).toBe(0);
    // Both processes (main and child) started with the small file's bytes and none of the big one's.
    const mine = started.slice(-2);
    expect(mine.map((f) => [f.get("/home/user/big.bin"), f.get("/home/user/small.bin"), (f.get("/home/user/lazy.py") ?? 0) > 0])).toEqual([
      [0, 4, true],
      [0, 4, true],
    ]);
  }, 120_000);
});

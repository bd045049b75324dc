/**
 * WorkerPool with fake workers (no Pyodide): which worker a process gets while the pool is
 * still booting. Real boots are covered by runtime.test.ts and bench/spawn.bench.ts.
 */
import { describe, expect, it } from "vitest";
import type { Platform, WorkerHandle } from "./platform";
import type { WorkerToHost } from "./protocol";
import { WorkerPool } from "./pool";

interface FakeWorker {
  readonly id: number;
  /** What the host posted to it (its boot message first). */
  readonly posted: unknown[];
  terminated: boolean;
  boot(extra?: object): void;
  readonly handle: WorkerHandle;
}

function fakePlatform(): { platform: Platform; workers: FakeWorker[]; fireTimers: () => void } {
  const workers: FakeWorker[] = [];
  let timers: (() => void)[] = [];
  const platform: Platform = {
    createWorker(): WorkerHandle {
      let handler: (msg: WorkerToHost) => void = () => {};
      const id = workers.length;
      const posted: unknown[] = [];
      const handle: WorkerHandle = {
        post: (msg: unknown) => void posted.push(msg),
        onMessage: (h) => (handler = h),
        onError: () => undefined,
        terminate: () => void (worker.terminated = true),
      };
      const worker: FakeWorker = { id, posted, terminated: false, handle, boot: (extra = {}) => handler({ type: "ready", ...extra }) };
      workers.push(worker);
      return handle;
    },
    now: () => 0,
    setTimer: (_ms, fn) => {
      timers.push(fn);
      return () => (timers = timers.filter((t) => t !== fn));
    },
    indexURL: "/",
    python: {},
    cpuCount: 2,
    loadSnapshot: () => Promise.resolve(new Uint8Array(8)),
    saveSnapshot: () => Promise.resolve(),
    compileWasm: () => Promise.resolve(null),
    loadStdlib: () => Promise.resolve(null),
  };
  const fireTimers = (): void => {
    const due = timers;
    timers = [];
    for (const fn of due) fn();
  };
  return { platform, workers, fireTimers };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A pool of `size` whose concurrent warm booted every worker. */
async function fullPool(size: number): Promise<{ pool: WorkerPool; workers: FakeWorker[] }> {
  const { platform, workers } = fakePlatform();
  const pool = new WorkerPool(platform, new SharedArrayBuffer(64), size);
  const warm = pool.warm({ concurrent: true });
  await tick();
  for (const w of workers) w.boot();
  await warm;
  return { pool, workers };
}

describe("WorkerPool", () => {
  describe("prepare", () => {
    const types = (w: FakeWorker) => w.posted.map((m) => (m as { type: string }).type);
    const compiled = {} as WebAssembly.Module;

    it("should tell the first worker to begin loading for the snapshot's length before its boot, when the platform knows it early", async () => {
      const { platform, workers } = fakePlatform();
      let loaded: (b: Uint8Array) => void = () => {};
      const pool = new WorkerPool({ ...platform, compileWasm: () => Promise.resolve(compiled), snapshotLength: () => Promise.resolve(8), loadSnapshot: () => new Promise((r) => (loaded = r)) }, new SharedArrayBuffer(64), 1);
      void pool.warm();
      await tick();
      expect(types(workers[0])).toEqual(["prepare"]);
      expect(workers[0].posted[0]).toMatchObject({ snapshotBytes: 8, recycle: false });
      loaded(new Uint8Array(8));
      await tick();
      expect(types(workers[0])).toEqual(["prepare", "boot"]);
      expect(workers).toHaveLength(1);
    });

    it("should end a worker prepared for another length (or with no compiled module) and boot a new one", async () => {
      for (const [length, wasm] of [[12, compiled], [8, null]] as const) {
        const { platform, workers } = fakePlatform();
        const pool = new WorkerPool({ ...platform, compileWasm: () => Promise.resolve(wasm), snapshotLength: () => Promise.resolve(length) }, new SharedArrayBuffer(64), 1);
        void pool.warm();
        await tick();
        await tick();
        expect(types(workers[0])).toEqual(["prepare"]);
        expect(workers[0].terminated).toBe(true);
        expect(types(workers[1])).toEqual(["boot"]);
      }
    });

    it("should not prepare a worker whose boot was sent first", async () => {
      const { platform, workers } = fakePlatform();
      let length: (n: number) => void = () => {};
      const pool = new WorkerPool({ ...platform, compileWasm: () => Promise.resolve(compiled), snapshotLength: () => new Promise((r) => (length = r)) }, new SharedArrayBuffer(64), 1);
      void pool.warm();
      await tick();
      length(8);
      await tick();
      expect(types(workers[0])).toEqual(["boot"]);
    });
  });

  describe("take", () => {
    it("should hand out the worker the pool is booting instead of booting another, and boot the next one once that process is under way", async () => {
      const { platform, workers, fireTimers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 2);
      void pool.warm();
      await tick();
      expect(workers).toHaveLength(1); // the pool's first boot
      const taken = await pool.take();
      await tick();
      // The process got the booting worker; another boot now would take CPU from that one.
      expect(workers).toHaveLength(1);
      workers[0].boot();
      await taken.ready;
      await tick();
      expect(workers).toHaveLength(1); // its process is starting
      fireTimers();
      await tick();
      expect(workers).toHaveLength(2);
      workers[1].boot();
      await tick();
      expect(pool.idleCount).toBe(1);
      expect(workers).toHaveLength(3);
      pool.dispose();
    });

    it("should boot its own worker next to a program's first process (its first child needs it), and the next once that process is under way", async () => {
      const { platform, workers, fireTimers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 2);
      // As the CLI does: warm() next to the main program's take(), both before anything booted.
      void pool.warm();
      const main = pool.take();
      await tick();
      expect(workers).toHaveLength(2);
      const mainWorker = await main;
      const mine = workers.find((w) => w.handle === mainWorker.worker)!;
      const theirs = workers.find((w) => w !== mine)!;
      // The pool's worker is ready first: no third boot while the program's own boots and starts.
      theirs.boot();
      await tick();
      expect(workers).toHaveLength(2);
      mine.boot();
      await mainWorker.ready;
      await tick();
      expect(workers).toHaveLength(2);
      fireTimers();
      await tick();
      expect(workers).toHaveLength(3);
      pool.dispose();
    });

    it("should wait for a worker putting itself back after its process instead of booting another", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 1, { recycle: true, idleMax: 3 });
      void pool.warm();
      await tick();
      workers[0].boot();
      await tick();
      const first = await pool.take();
      expect(first.worker).toBeDefined();
      // Its process ended; it is restoring itself when the next process asks for a worker.
      pool.recycle(first);
      let second: Awaited<ReturnType<WorkerPool["take"]>> | null = null;
      void pool.take().then((w) => (second = w));
      await tick();
      expect(workers).toHaveLength(1);
      expect(second).toBeNull();
      workers[0].boot(); // its `ready` after the restore
      await tick();
      expect(second).toBe(first);
      expect(workers).toHaveLength(1);
      expect(pool.recycledStarts).toBe(1);
      pool.dispose();
    });

    it("should give a controlled run's main process an idle worker that keeps nothing instead of waiting for its last one, and a child its own", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 3, { recycle: true, idleMax: 3 });
      const warm = pool.warm({ concurrent: true });
      for (let booted = 0; booted < 3; ) {
        await tick();
        for (const w of workers.slice(booted)) w.boot();
        booted = workers.length;
      }
      await warm;
      expect(pool.idleCount).toBe(3);
      const main = await pool.take("main", false);
      const child = await pool.take("child");
      expect(main).not.toBe(child);
      // Both processes ended; both workers restore themselves while the next schedule starts.
      pool.recycle(main);
      pool.recycle(child);
      expect(pool.idleCount).toBe(1); // the third, keeping nothing
      let nextMain: Awaited<ReturnType<WorkerPool["take"]>> | null = null;
      let nextChild: Awaited<ReturnType<WorkerPool["take"]>> | null = null;
      void pool.take("main", false).then((w) => (nextMain = w));
      void pool.take("child").then((w) => (nextChild = w));
      await tick();
      expect(nextMain).not.toBeNull(); // at once, not after main's old worker is back
      expect(nextMain).not.toBe(main);
      expect(nextMain).not.toBe(child);
      expect(nextChild).toBeNull(); // the child waits for the worker that may keep its start
      workers.find((w) => w.handle === child.worker)!.boot(); // its `ready` after the restore
      await tick();
      expect(nextChild).toBe(child);
      pool.dispose();
    });

    it("should boot a controlled run's next workers side by side, without the refill's delay, when its process takes the last idle one, up to idleMax workers in all", async () => {
      for (const [idleMax, boots] of [
        [4, 2], // one per core
        [3, 1], // capped: three workers in all
      ] as const) {
        const { platform, workers } = fakePlatform();
        const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 2, { recycle: true, idleMax });
        const warm = pool.warm({ concurrent: true });
        await tick();
        for (const w of workers) w.boot();
        await warm;
        await pool.take("main", false);
        await tick();
        expect(workers).toHaveLength(2); // one idle left: nothing yet
        await pool.take("child-1");
        await tick();
        expect(workers).toHaveLength(2 + boots); // at once: no timer fired
        const next = await Promise.all(Array.from({ length: boots }, (_, i) => pool.take(`child-${i + 2}`)));
        expect(next.map((pw) => pw.worker)).toEqual(workers.slice(2).map((w) => w.handle)); // the children get them
        pool.dispose();
      }
    });

    it("should boot the workers a controlled run will take when step mode opens, side by side, before its first process asks", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 2, { recycle: true, idleMax: 4 });
      const warm = pool.warm({ concurrent: true });
      await tick();
      for (const w of workers) w.boot();
      await warm;
      expect(workers).toHaveLength(2);
      pool.prepareControlled();
      await tick();
      expect(workers).toHaveLength(4); // at once, one per core: no timer fired
      for (const w of workers.slice(2)) w.boot();
      await tick();
      const taken = await Promise.all([pool.take("main", false), pool.take("child-1"), pool.take("child-2"), pool.take("child-3")]);
      expect(new Set(taken.map((pw) => pw.worker)).size).toBe(4);
      await tick();
      expect(workers).toHaveLength(4); // idleMax in all
      pool.dispose();
    });

    it("should not refill past idleMax live workers for a controlled run, whose workers come back when its processes end; a normal run's refill still boots", async () => {
      for (const key of ["child", null]) {
        const { platform, workers, fireTimers } = fakePlatform();
        const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 2, { recycle: true, idleMax: 2 });
        const warm = pool.warm({ concurrent: true });
        await tick();
        for (const w of workers) w.boot();
        await warm;
        await pool.take(key === null ? null : "main", false);
        await pool.take(key);
        for (let i = 0; i < 3; i++) {
          fireTimers();
          await tick();
        }
        expect(workers).toHaveLength(key === null ? 3 : 2);
        pool.dispose();
      }
    });

    it("should keep a normal run's refill to one boot after its delay when the last idle worker is taken", async () => {
      const { pool, workers } = await fullPool(2);
      await pool.take();
      await pool.take();
      await tick();
      expect(workers).toHaveLength(2);
      pool.dispose();
    });

    it("should refill after the process of a worker handed out while booting is killed before that worker was ready", async () => {
      const { platform, workers, fireTimers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 1);
      void pool.warm();
      await tick();
      const taken = await pool.take(); // the refill's boot, not ready yet
      expect(workers).toHaveLength(1);
      pool.release(taken); // Stop: its process is killed; the worker never says ready
      for (let i = 0; i < 3; i++) {
        fireTimers();
        await tick();
      }
      expect(workers).toHaveLength(2);
      workers[1].boot();
      await tick();
      expect(pool.idleCount).toBe(1); // the next process (a first child after Stop) finds it
      pool.dispose();
    });

    it("should boot a terminated process's replacement later, one at a time, while another process still runs", async () => {
      const { pool, workers } = await fullPool(2);
      await pool.take(); // the main process, still running
      const child = await pool.take();
      await tick();
      const before = workers.length;
      pool.release(child); // terminate(): the refill waits its timer, next to a running process
      for (let i = 0; i < 3; i++) await tick();
      expect(workers.length).toBe(before);
      pool.dispose();
    });

    it("should boot the missing workers side by side when a Stop leaves the pool empty", async () => {
      const { pool, workers } = await fullPool(2);
      const main = await pool.take();
      const child = await pool.take();
      await tick();
      const before = workers.length;
      pool.release(main);
      pool.release(child);
      for (let i = 0; i < 3; i++) await tick();
      // Without a timer: both at once, not one 150 ms after the Stop and the next after it.
      expect(workers.length - before).toBe(2);
      pool.dispose();
    });

    it("should boot a worker of its own when nothing is idle or booting", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 1);
      const taken = pool.take();
      await tick();
      expect(workers).toHaveLength(1);
      workers[0].boot();
      await (await taken).ready;
      await tick();
      expect(workers).toHaveLength(2); // the refill starts once that boot is done
      pool.dispose();
    });
  });

  describe("warm", () => {
    it("should boot one worker per core at once when concurrent, and hand a booting one to a process", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 2);
      const warm = pool.warm({ concurrent: true });
      await tick();
      expect(workers).toHaveLength(2); // not one after the other
      workers[1].boot();
      await tick();
      expect(pool.idleCount).toBe(1);
      workers[0].boot();
      await warm;
      expect(pool.idleCount).toBe(2);
      expect(workers).toHaveLength(2); // the pool is full: nothing more boots
      pool.dispose();
    });

    it("should keep one boot at a time without concurrent", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 2);
      void pool.warm();
      await tick();
      expect(workers).toHaveLength(1);
      pool.dispose();
    });

    it("should give a process a worker that a concurrent warm is still booting", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 2);
      void pool.warm({ concurrent: true });
      await tick();
      const first = await pool.take(); // the refill loop's boot
      const second = await pool.take(); // the one booting beside it
      expect(new Set([first, second]).size).toBe(2);
      expect(workers.length).toBeGreaterThanOrEqual(2);
      pool.dispose();
    });
  });

  describe("bytecode", () => {
    const pycOf = (w: FakeWorker) => (w.posted[0] as { pyc: unknown }).pyc;

    it("should pass the runtime's bytecode from the first worker's ready to every later boot", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 1);
      void pool.warm();
      await tick();
      expect(pycOf(workers[0])).toBeNull();
      const pyc = { "_spawnpoint/main.py": new Uint8Array([1, 2, 3]) };
      workers[0].boot({ pyc });
      await tick();
      await pool.take();
      void pool.take(); // nothing idle: the pool boots a worker for it
      await tick();
      expect(workers.length).toBeGreaterThan(1);
      expect(pycOf(workers[1])).toEqual(pyc);
      pool.dispose();
    });

    it("should ignore bytecode sent after a worker's first ready (a program may run there by then)", async () => {
      const { platform, workers } = fakePlatform();
      const pool = new WorkerPool(platform, new SharedArrayBuffer(64), 1);
      void pool.warm();
      await tick();
      workers[0].boot();
      workers[0].boot({ pyc: { "_spawnpoint/main.py": new Uint8Array([6, 6, 6]) } });
      await tick();
      await pool.take();
      void pool.take();
      await tick();
      expect(pycOf(workers[1])).toBeNull();
      pool.dispose();
    });
  });
});

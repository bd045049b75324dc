/**
 * Recycling a worker: after its process ended by itself, the interpreter is put back, in
 * place, to the state it had at the end of boot, and the worker waits in the pool again. A
 * fresh boot costs ~0.4 s of CPU; this costs a copy of the recorded memory (milliseconds), so
 * a schedule search, a Pool's churn or a program that starts children one after another stop
 * paying a boot per process.
 *
 * What makes up "the state at the end of boot":
 * - the wasm memory (every Python object, the C heap and stack): the non-zero 4 KiB pages are
 *   recorded; memory the process grew past the record is zeroed (it stays allocated);
 * - the stack pointer, a wasm global outside that memory;
 * - hiwire's table of JS values that Python holds (an externref table outside the memory), and
 *   its deduplication Map (JS value → table index, kept among hiwire's immortals);
 * - the Emscripten file system and its open streams (./fs-restore.ts);
 * - JS objects that point into the memory: a PyProxy made during the run would point at what
 *   the restore overwrote. `RunGuard` counts them; a run that leaves one alive (a callback it
 *   handed to JS) is not recycled, and a late finalizer of an older run never touches the
 *   restored memory. Timers a run set (through `js`) are cleared.
 * Anything the record cannot restore (a shared library loaded during the run, memory grown by
 * more than RECYCLE_GROWTH_MAX) makes the worker decline: the host ends it, as before.
 */
import { FsRecord, type RestorableFS } from "./fs-restore";

const PAGE = 4096;
const PAGE_WORDS = PAGE / 4;
/** A worker whose memory grew more than this during its run is ended, not kept with that memory. */
export const RECYCLE_GROWTH_MAX = 64 << 20;

/** The slice of Emscripten's module a recycle reads and writes. */
export interface RecyclableModule {
  readonly HEAPU8: Uint8Array;
  stackSave(): number;
  stackRestore(sp: number): void;
  __hiwire_get(index: number): unknown;
  __hiwire_set(index: number, value: unknown): number;
  __hiwire_delete(index: number): void;
  __hiwire_immortal_get(index: number): unknown;
  readonly LDSO?: { loadedLibsByName: Record<string, unknown> };
  Py_EmscriptenSignalBuffer?: unknown;
}

interface Held {
  readonly epoch: number;
  readonly held: unknown;
  live: boolean;
}

type Timer = unknown;

/**
 * Watches what a run leaves behind on the JS side. Installed on the worker's global scope
 * before Pyodide loads (Pyodide makes its FinalizationRegistry then). Epoch 0 is boot; each
 * run after it has its own epoch.
 */
export class RunGuard {
  epoch = 0;
  /** PyProxies (and once-callables) registered during this run and neither destroyed nor collected. */
  live = 0;
  private readonly timers = new Set<Timer>();
  private clearTimer: (t: Timer) => void = () => {};

  install(scope: typeof globalThis): void {
    const epoch = (): number => this.epoch;
    const count = (delta: number): void => {
      this.live += delta;
    };
    const Original = scope.FinalizationRegistry;
    if (Original) {
      class Tracked extends Original<Held> {
        private readonly tokens = new WeakMap<object, Held>();
        constructor(cleanup: (held: unknown) => void) {
          super((w: Held) => {
            // A proxy from an earlier run points into memory that has been restored since.
            if (w.epoch !== 0 && w.epoch !== epoch()) return;
            if (w.live && w.epoch !== 0) count(-1);
            w.live = false;
            cleanup(w.held);
          });
        }
        override register(target: object, held: unknown, token?: object): void {
          const w: Held = { epoch: epoch(), held, live: true };
          if (w.epoch !== 0) count(1);
          if (token) this.tokens.set(token, w);
          super.register(target, w, token);
        }
        override unregister(token: object): boolean {
          const w = this.tokens.get(token);
          if (w) {
            this.tokens.delete(token);
            if (w.live && w.epoch !== 0 && w.epoch === epoch()) count(-1);
            w.live = false;
          }
          return super.unregister(token);
        }
      }
      scope.FinalizationRegistry = Tracked as unknown as FinalizationRegistryConstructor;
    }
    const setT = scope.setTimeout.bind(scope);
    const setI = scope.setInterval.bind(scope);
    const clearT = scope.clearTimeout.bind(scope);
    const clearI = scope.clearInterval.bind(scope);
    this.clearTimer = (t) => {
      clearT(t as Parameters<typeof clearT>[0]);
      clearI(t as Parameters<typeof clearI>[0]);
    };
    scope.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
      if (this.epoch === 0 || typeof fn !== "function") return setT(fn, ms, ...rest);
      const t: Timer = setT((...a: unknown[]) => {
        this.timers.delete(t);
        fn(...a);
      }, ms);
      this.timers.add(t);
      return t;
    }) as typeof scope.setTimeout;
    scope.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
      const t: Timer = setI(fn, ms, ...rest);
      if (this.epoch !== 0) this.timers.add(t);
      return t;
    }) as typeof scope.setInterval;
  }

  /** Ends the current run's epoch: its timers are cleared, and its proxies can no longer touch memory. */
  nextRun(): void {
    for (const t of this.timers) this.clearTimer(t);
    this.timers.clear();
    this.epoch++;
    this.live = 0;
  }
}

function allZero(words: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (words[i] !== 0) return false;
  return true;
}

/** The non-zero pages of the memory at record time. */
class MemoryRecord {
  readonly length: number;
  private readonly pages: Int32Array;
  private readonly data: Uint8Array;

  constructor(heap: Uint8Array) {
    this.length = heap.length;
    const words = new Int32Array(heap.buffer, heap.byteOffset, heap.length >> 2);
    const pages: number[] = [];
    for (let p = 0; p * PAGE < heap.length; p++) if (!allZero(words, p * PAGE_WORDS, (p + 1) * PAGE_WORDS)) pages.push(p);
    this.pages = Int32Array.from(pages);
    this.data = new Uint8Array(pages.length * PAGE);
    pages.forEach((p, k) => this.data.set(heap.subarray(p * PAGE, (p + 1) * PAGE), k * PAGE));
  }

  get bytes(): number {
    return this.data.length;
  }

  /** Writes the record back: recorded pages copied (consecutive ones at once), the others zeroed where they are not already. */
  restore(heap: Uint8Array): void {
    if (heap.length < this.length) throw new Error("the memory shrank");
    const words = new Int32Array(heap.buffer, heap.byteOffset, heap.length >> 2);
    let k = 0;
    const total = heap.length / PAGE;
    for (let p = 0; p < total; ) {
      if (k < this.pages.length && this.pages[k] === p) {
        let run = 1;
        while (k + run < this.pages.length && this.pages[k + run] === p + run) run++;
        heap.set(this.data.subarray(k * PAGE, (k + run) * PAGE), p * PAGE);
        k += run;
        p += run;
      } else {
        if (!allZero(words, p * PAGE_WORDS, (p + 1) * PAGE_WORDS)) words.fill(0, p * PAGE_WORDS, (p + 1) * PAGE_WORDS);
        p++;
      }
    }
  }
}

/** The interpreter at the end of boot, and the restore to it. */
export class Recycler {
  private readonly memory: MemoryRecord;
  private readonly sp: number;
  private readonly hiwire: unknown[];
  /** hiwire's Maps (its deduplication map) with their entries at record time. */
  private readonly maps: [Map<unknown, unknown>, [unknown, unknown][]][] = [];
  private readonly fs: FsRecord;
  private readonly libs: number;

  constructor(
    private readonly em: RecyclableModule,
    FS: RestorableFS,
    private readonly guard: RunGuard,
  ) {
    this.sp = em.stackSave();
    this.hiwire = [];
    for (let i = 0; ; i++) {
      let v: unknown;
      try {
        v = em.__hiwire_get(i);
      } catch {
        break; // past the table's end
      }
      this.hiwire.push(v);
    }
    for (let i = 0; ; i++) {
      let v: unknown;
      try {
        v = em.__hiwire_immortal_get(i);
      } catch {
        break;
      }
      if (v instanceof Map) this.maps.push([v as Map<unknown, unknown>, [...(v as Map<unknown, unknown>).entries()]]);
    }
    if (this.maps.length === 0) throw new Error("hiwire's deduplication map was not found");
    this.libs = Object.keys(em.LDSO?.loadedLibsByName ?? {}).length;
    this.fs = new FsRecord(FS);
    this.memory = new MemoryRecord(em.HEAPU8);
    guard.nextRun();
  }

  /** Bytes the record keeps (for the bench's memory figures). */
  get bytes(): number {
    return this.memory.bytes;
  }

  /** Why the worker cannot be put back after this run, or null when it can. */
  declines(): string | null {
    if (this.guard.live > 0) return `the run left ${this.guard.live} Python object(s) referenced from JS`;
    if (Object.keys(this.em.LDSO?.loadedLibsByName ?? {}).length !== this.libs) return "the run loaded a shared library";
    if (this.em.HEAPU8.length > this.memory.length + RECYCLE_GROWTH_MAX) return "the run grew the memory too much";
    return null;
  }

  /** Puts the interpreter back to the record. Throws if it cannot (the worker must then be ended). */
  restore(): void {
    const why = this.declines();
    if (why) throw new Error(`cannot recycle: ${why}`);
    this.guard.nextRun();
    this.memory.restore(this.em.HEAPU8);
    this.em.stackRestore(this.sp);
    let i = 0;
    for (; i < this.hiwire.length; i++) this.em.__hiwire_set(i, this.hiwire[i]);
    for (; ; i++) {
      try {
        this.em.__hiwire_get(i);
      } catch {
        break;
      }
      this.em.__hiwire_delete(i);
    }
    for (const [map, entries] of this.maps) {
      map.clear();
      for (const [k, v] of entries) map.set(k, v);
    }
    // The restored memory says interrupts are off; the JS side must agree until the next process turns them on.
    this.em.Py_EmscriptenSignalBuffer = undefined;
    this.fs.restore();
  }
}

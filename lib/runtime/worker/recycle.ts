/**
 * Recycling a worker: after its process ended by itself, the interpreter is put back, in
 * place, to the state it had at the end of boot, and the worker waits in the pool again. A
 * fresh boot costs ~0.4 s of CPU; this costs a copy of the recorded memory (milliseconds), so
 * a schedule search, a Pool's churn or a program that starts children one after another stop
 * paying a boot per process.
 *
 * What makes up "the state at the end of boot":
 * - the wasm memory (every Python object, the C heap and stack), by 4 KiB page: zero, still the
 *   shared snapshot's, or kept in the worker's own copy; memory the process grew past the
 *   record is zeroed (it stays allocated). Zero pages are zeroed again only where a scan
 *   (WebAssembly SIMD over the interpreter's memory) finds the process wrote them, and runs
 *   of pages and of a page's chunks go back in one copy each;
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
import { FsRecord, type Leftover, type RestorableFS } from "./fs-restore";

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
  /** The WebAssembly.Memory behind HEAPU8. */
  readonly memory?: unknown;
  /** The C library's sbrk: `_sbrk(0)` is the break, the end of what malloc ever took. */
  _sbrk?(increment: number): number;
}

/**
 * The first page wholly above the break: the memory there was never written. The allocator
 * takes memory only by moving the break up and never gives it back (this build's dlmalloc
 * does not trim: 50 MB freed left the break where it was), the stack lies below the heap, and
 * JS writes only into what malloc returned. Null when the module has no sbrk.
 */
function pageAboveBreak(em: RecyclableModule): number | null {
  if (typeof em._sbrk !== "function") return null;
  const brk = em._sbrk(0) >>> 0;
  return Math.ceil(brk / PAGE);
}

interface Held {
  epoch: number;
  readonly held: unknown;
  live: boolean;
  /** What the proxy's state is (Pyodide registers a PyProxy's shared state, its `ptr` inside), held weakly: see RunGuard.disarm. */
  readonly target: WeakRef<object> | null;
}

/** The epoch of a proxy a checkpoint keeps (RunGuard.keepLive): never counted, never cleaned up. */
const KEPT = -1;

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
  /** This run's registrations still live. */
  private readonly current = new Set<Held>();
  private clearTimer: (t: Timer) => void = () => {};

  install(scope: typeof globalThis): void {
    const epoch = (): number => this.epoch;
    const current = this.current;
    const count = (delta: number, w: Held): void => {
      this.live += delta;
      if (delta > 0) current.add(w);
      else current.delete(w);
    };
    const Original = scope.FinalizationRegistry;
    if (Original) {
      class Tracked extends Original<Held> {
        private readonly tokens = new WeakMap<object, Held>();
        constructor(cleanup: (held: unknown) => void) {
          super((w: Held) => {
            // A proxy from an earlier run points into memory that has been restored since.
            if (w.epoch !== 0 && w.epoch !== epoch()) return;
            if (w.live && w.epoch !== 0) count(-1, w);
            w.live = false;
            cleanup(w.held);
          });
        }
        override register(target: object, held: unknown, token?: object): void {
          const w: Held = { epoch: epoch(), held, live: true, target: typeof WeakRef === "function" ? new WeakRef(target) : null };
          if (w.epoch !== 0) count(1, w);
          if (token) this.tokens.set(token, w);
          super.register(target, w, token);
        }
        override unregister(token: object): boolean {
          const w = this.tokens.get(token);
          if (w) {
            this.tokens.delete(token);
            if (w.live && w.epoch !== 0 && w.epoch === epoch()) count(-1, w);
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

  /**
   * The proxies of this run still live belong to a checkpoint from now on (./checkpoint.ts):
   * they point into the memory it keeps, so they no longer count against recycling and their
   * finalizers never touch memory. Returns how many.
   */
  keepLive(): number {
    const n = this.current.size;
    for (const w of this.current) w.epoch = KEPT;
    this.current.clear();
    this.live = 0;
    return n;
  }

  /**
   * The run was killed mid-call (./kill.ts): the proxies it still has were left by frames that
   * will never finish, or handed to JS that outlives the run. Each is made a destroyed proxy
   * (Pyodide's `ptr` 0: any use throws `message`) without touching memory, which is about to be
   * restored: nothing of the run can reach the next process's interpreter.
   */
  disarm(message: string): void {
    for (const w of this.current) {
      const state = w.target?.deref() as { ptr?: number; destroyed_msg?: string } | undefined;
      if (state && typeof state.ptr === "number") {
        state.ptr = 0;
        state.destroyed_msg = message;
      }
      w.live = false;
    }
    this.current.clear();
    this.live = 0;
  }

  /** Ends the current run's epoch: its timers are cleared, and its proxies can no longer touch memory. */
  nextRun(): void {
    for (const t of this.timers) this.clearTimer(t);
    this.timers.clear();
    this.current.clear();
    this.epoch++;
    this.live = 0;
  }
}

function allZero(words: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (words[i] !== 0) return false;
  return true;
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const CHUNK = 256;
const CHUNK_WORDS = CHUNK / 4;
const CHUNKS = PAGE / CHUNK;

/** Which 256-byte chunks of page `page` differ between `a` and `b` (bit i: chunk i). */
function changedChunks(a: Int32Array, b: Int32Array, page: number): number {
  let mask = 0;
  for (let c = 0; c < CHUNKS; c++) {
    const from = page * PAGE_WORDS + c * CHUNK_WORDS;
    for (let i = from; i < from + CHUNK_WORDS; i++) {
      if (a[i] !== b[i]) {
        mask |= 1 << c;
        break;
      }
    }
  }
  return mask;
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

const ZERO = 0;
/** The shared snapshot's page as it is. */
const BASE = 1;
/** The shared snapshot's page with some 256-byte chunks of its own. */
const PATCH = 2;
/** A page of its own, whole. */
const OWN = 3;

/**
 * The memory at record time, page by page: zero; still the shared boot snapshot's page (`base`,
 * one copy for all workers); the snapshot's page with the 256-byte chunks boot changed, kept in
 * this worker's own copy (boot changes scattered words: object headers, dicts); or a page of
 * its own. Each worker keeps ~4 MB instead of its whole heap.
 */
export class MemoryRecord {
  readonly length: number;
  /** The first page above the break at the record (not read: zero), if known. */
  private readonly untouchedFrom: number | null;
  private readonly kinds: Uint8Array;
  /** PATCH pages: which chunks are their own. */
  private readonly masks: Uint16Array;
  /** PATCH and OWN pages: where their bytes start in `own`. */
  private readonly ownAt: Int32Array;
  private readonly own: Uint8Array;

  /** `untouchedFrom`: the first page above the break (pageAboveBreak), zero and not read; null: every page is read. */
  constructor(
    heap: Uint8Array,
    private readonly base: Uint8Array | null,
    untouchedFrom: number | null = null,
  ) {
    this.length = heap.length;
    const pages = heap.length / PAGE;
    const readTo = Math.min(pages, untouchedFrom ?? pages);
    this.untouchedFrom = untouchedFrom;
    const words = new Int32Array(heap.buffer, heap.byteOffset, heap.length >> 2);
    const baseWords = base && base.byteOffset % 4 === 0 ? new Int32Array(base.buffer, base.byteOffset, base.length >> 2) : null;
    const basePages = baseWords ? Math.floor(baseWords.length / PAGE_WORDS) : 0;
    this.kinds = new Uint8Array(pages);
    this.masks = new Uint16Array(pages);
    this.ownAt = new Int32Array(pages).fill(-1);
    let size = 0;
    for (let p = 0; p < pages; p++) {
      if (p >= readTo || allZero(words, p * PAGE_WORDS, (p + 1) * PAGE_WORDS)) {
        // A zero page over a non-zero snapshot page is still zero: restored by zeroing.
        this.kinds[p] = ZERO;
        continue;
      }
      const mask = baseWords && p < basePages ? changedChunks(words, baseWords, p) : -1;
      if (mask === 0) this.kinds[p] = BASE;
      else if (mask > 0 && popcount(mask) < CHUNKS) {
        this.kinds[p] = PATCH;
        this.masks[p] = mask;
        this.ownAt[p] = size;
        size += popcount(mask) * CHUNK;
      } else {
        this.kinds[p] = OWN;
        this.ownAt[p] = size;
        size += PAGE;
      }
    }
    this.own = new Uint8Array(size);
    for (let p = 0; p < pages; p++) {
      const at = this.ownAt[p];
      if (this.kinds[p] === OWN) this.own.set(heap.subarray(p * PAGE, (p + 1) * PAGE), at);
      else if (this.kinds[p] === PATCH) {
        let k = 0;
        for (let c = 0; c < CHUNKS; c++) {
          if (!(this.masks[p] & (1 << c))) continue;
          this.own.set(heap.subarray(p * PAGE + c * CHUNK, p * PAGE + (c + 1) * CHUNK), at + k++ * CHUNK);
        }
      }
    }
  }

  get bytes(): number {
    return this.own.length;
  }

  /** Whether page `p` of `heap` differs from the record (pages past it are zero in the record). */
  differs(heap: Uint8Array, p: number, scan: ZeroScan): boolean {
    const kind = p < this.kinds.length ? this.kinds[p] : ZERO;
    const at = p * PAGE;
    if (kind === ZERO) return scan.firstNonZero(heap, at, at + PAGE) !== at + PAGE;
    const words = new Int32Array(heap.buffer, heap.byteOffset + at, PAGE_WORDS);
    const own = (from: number, n: number): Int32Array => new Int32Array(this.own.buffer, this.own.byteOffset + from, n);
    if (kind === OWN) return !sameWords(words, own(this.ownAt[p], PAGE_WORDS));
    const base = this.base!;
    const baseWords = new Int32Array(base.buffer, base.byteOffset + at, PAGE_WORDS);
    if (kind === BASE) return !sameWords(words, baseWords);
    const mask = this.masks[p];
    let k = 0;
    for (let c = 0; c < CHUNKS; c++) {
      const w = words.subarray(c * CHUNK_WORDS, (c + 1) * CHUNK_WORDS);
      const want = mask & (1 << c) ? own(this.ownAt[p] + k++ * CHUNK, CHUNK_WORDS) : baseWords.subarray(c * CHUNK_WORDS, (c + 1) * CHUNK_WORDS);
      if (!sameWords(w, want)) return true;
    }
    return false;
  }

  /**
   * Writes the record back; pages past it (memory the run grew) are zeroed where they are not
   * already. `untouchedFrom`: the first page above the break now (pageAboveBreak, before this restore
   * puts the record's break back), null if unknown: no page from there (nor from the record's
   * own break, the higher of the two) was written since the record or the last restore, so
   * those are not scanned.
   */
  restore(heap: Uint8Array, scan: ZeroScan, untouchedFrom: number | null = null): void {
    if (heap.length < this.length) throw new Error("the memory shrank");
    const words = new Int32Array(heap.buffer, heap.byteOffset, heap.length >> 2);
    const pages = heap.length / PAGE;
    const total = untouchedFrom === null || this.untouchedFrom === null ? pages : Math.min(pages, Math.max(untouchedFrom, this.untouchedFrom));
    const kinds = this.kinds;
    const base = this.base;
    const kindOf = (p: number): number => (p < kinds.length ? kinds[p] : ZERO);
    for (let p = 0; p < total; ) {
      const kind = kindOf(p);
      let run = 1;
      if (kind === ZERO) {
        // A run of zero pages: only the pages the process wrote are zeroed again (writing a
        // page that is still zero would make it resident for nothing).
        while (p + run < total && kindOf(p + run) === ZERO) run++;
        const end = (p + run) * PAGE;
        for (let at = scan.firstNonZero(heap, p * PAGE, end); at < end; ) {
          const q = Math.floor(at / PAGE);
          words.fill(0, q * PAGE_WORDS, (q + 1) * PAGE_WORDS);
          at = (q + 1) * PAGE < end ? scan.firstNonZero(heap, (q + 1) * PAGE, end) : end;
        }
      } else if (kind === OWN) {
        // Own pages in a row sit next to each other in `own` too: one copy.
        while (p + run < kinds.length && kinds[p + run] === OWN) run++;
        heap.set(this.own.subarray(this.ownAt[p], this.ownAt[p] + run * PAGE), p * PAGE);
      } else {
        // Snapshot pages (BASE or PATCH) in a row are one copy, then the patches go on top,
        // a run of the page's own chunks at a time.
        while (p + run < kinds.length && (kinds[p + run] === BASE || kinds[p + run] === PATCH)) run++;
        heap.set(base!.subarray(p * PAGE, (p + run) * PAGE), p * PAGE);
        for (let q = p; q < p + run; q++) {
          if (kinds[q] !== PATCH) continue;
          const mask = this.masks[q];
          let at = this.ownAt[q];
          for (let c = 0; c < CHUNKS; ) {
            if (!(mask & (1 << c))) {
              c++;
              continue;
            }
            let n = 1;
            while (c + n < CHUNKS && mask & (1 << (c + n))) n++;
            heap.set(this.own.subarray(at, at + n * CHUNK), q * PAGE + c * CHUNK);
            at += n * CHUNK;
            c += n;
          }
        }
      }
      p += run;
    }
  }
}

/** Finds the first 64-byte block of a range of the interpreter's memory that is not all zero. */
export interface ZeroScan {
  /** `from` and `to` are multiples of 64; returns `to` when the range is all zero. */
  firstNonZero(heap: Uint8Array, from: number, to: number): number;
}

/**
 * The scan in WebAssembly SIMD over the interpreter's own memory (imported, so it follows the
 * memory as it grows): 16 bytes per load, about five times the JS loop's speed. Hand-assembled:
 *
 *   (func (param $p i32) (param $end i32) (result i32)
 *     loop
 *       (v128.any_true (v128.or (v128.or (v128.load $p) (v128.load offset=16 $p))
 *                               (v128.or (v128.load offset=32 $p) (v128.load offset=48 $p))))
 *       if  local.get $p  return  end
 *       (br_if 0 (i32.lt_u (local.tee $p (i32.add $p 64)) $end))
 *     end
 *     local.get $end)
 */
const SCAN_BODY = [
  0x00, // no locals
  0x03, 0x40, // loop
  0x20, 0x00, 0xfd, 0x00, 0x04, 0x00, // v128.load offset=0
  0x20, 0x00, 0xfd, 0x00, 0x04, 0x10, // v128.load offset=16
  0xfd, 0x50, // v128.or
  0x20, 0x00, 0xfd, 0x00, 0x04, 0x20, // v128.load offset=32
  0x20, 0x00, 0xfd, 0x00, 0x04, 0x30, // v128.load offset=48
  0xfd, 0x50, // v128.or
  0xfd, 0x50, // v128.or
  0xfd, 0x53, // v128.any_true
  0x04, 0x40, 0x20, 0x00, 0x0f, 0x0b, // if local.get 0 return end
  0x20, 0x00, 0x41, 0xc0, 0x00, 0x6a, 0x22, 0x00, 0x20, 0x01, 0x49, 0x0d, 0x00, // p += 64; br_if p < end
  0x0b, // end loop
  0x20, 0x01, // local.get 1
  0x0b, // end
];

function section(id: number, body: number[]): number[] {
  return [id, body.length, ...body];
}

const SCAN_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]), // type: (i32, i32) -> i32
  ...section(2, [0x01, 0x01, 0x65, 0x01, 0x6d, 0x02, 0x00, 0x00]), // import "e" "m": memory, min 0
  ...section(3, [0x01, 0x00]), // one function of type 0
  ...section(7, [0x01, 0x01, 0x66, 0x00, 0x00]), // export "f"
  ...section(10, [0x01, SCAN_BODY.length, ...SCAN_BODY]),
]);

/** The same scan in JS, eight words at a time, for a memory or an engine the SIMD one cannot take. */
export const jsZeroScan: ZeroScan = {
  firstNonZero(heap, from, to) {
    const words = new Int32Array(heap.buffer, heap.byteOffset, heap.length >> 2);
    for (let i = from >> 2; i < to >> 2; i += 16) {
      let acc = 0;
      for (let k = i; k < i + 16; k++) acc |= words[k];
      if (acc !== 0) return i << 2;
    }
    return to;
  },
};

/** A zero scan that becomes the SIMD one once that is compiled (see zeroScanFor). */
export interface UpgradingZeroScan extends ZeroScan {
  /** Whether calls go to the SIMD scan now. */
  readonly simd: boolean;
  /** Settles when the SIMD scan is in use, or known to be impossible here. */
  readonly ready: Promise<void>;
}

/**
 * The SIMD scan over `memory` (Emscripten's Module.memory), compiled in the background: the JS
 * scan answers until then, and for good where it cannot be made. A synchronous compile here
 * sat on every boot's path, and in JavaScriptCore it waits in the same compile queue as the
 * tier-up of the interpreter's 10 MB module, which a booting worker fills: 0.16 to 6.4 s
 * before the worker could say ready (bench/webkit.bench.ts, the "zero scan made" phase).
 */
export function zeroScanFor(memory: unknown): UpgradingZeroScan {
  let simd: ((from: number, to: number) => number) | null = null;
  const ready =
    memory instanceof WebAssembly.Memory
      ? WebAssembly.instantiate(SCAN_MODULE, { e: { m: memory } }).then(
          ({ instance }) => {
            const f = instance.exports.f;
            if (typeof f === "function") simd = f as (from: number, to: number) => number;
          },
          () => undefined, // no SIMD here
        )
      : Promise.resolve();
  return {
    get simd() {
      return simd !== null;
    },
    ready,
    firstNonZero: (heap, from, to) =>
      simd && memory instanceof WebAssembly.Memory && heap.buffer === memory.buffer && heap.byteOffset === 0 ? simd(from, to) >>> 0 : jsZeroScan.firstNonZero(heap, from, to),
  };
}

/** hiwire's table of JS values Python holds, and its deduplication Map, as they are now. */
export class HiwireRecord {
  private readonly values: unknown[] = [];
  /** hiwire's Maps (its deduplication map) with their entries at record time. */
  private readonly maps: [Map<unknown, unknown>, [unknown, unknown][]][] = [];

  constructor(private readonly em: RecyclableModule) {
    for (let i = 0; ; i++) {
      let v: unknown;
      try {
        v = em.__hiwire_get(i);
      } catch {
        break; // past the table's end
      }
      this.values.push(v);
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
  }

  restore(): void {
    let i = 0;
    for (; i < this.values.length; i++) this.em.__hiwire_set(i, this.values[i]);
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
  }
}

/** The interpreter at the end of boot, and the restore to it. */
export class Recycler {
  private readonly memory: MemoryRecord;
  private readonly sp: number;
  private readonly hiwire: HiwireRecord;
  private readonly fs: FsRecord;
  private readonly libs: number;
  private readonly scan: ZeroScan;

  /** `base`: the heap image of the shared snapshot this interpreter booted from, if any. */
  constructor(
    private readonly em: RecyclableModule,
    FS: RestorableFS,
    private readonly guard: RunGuard,
    base: Uint8Array | null,
    /** Called as each part of the record ends (boot's phases, see WorkerToHost `ready`). */
    phase: (name: string) => void = () => {},
  ) {
    this.sp = em.stackSave();
    this.hiwire = new HiwireRecord(em);
    phase("hiwire recorded");
    this.libs = Object.keys(em.LDSO?.loadedLibsByName ?? {}).length;
    this.fs = new FsRecord(FS);
    phase("files recorded");
    this.memory = new MemoryRecord(em.HEAPU8, base, pageAboveBreak(em));
    phase("memory recorded");
    this.scan = zeroScanFor(em.memory);
    phase("zero scan made");
    guard.nextRun();
  }

  /** Bytes the record keeps (for the bench's memory figures). */
  get bytes(): number {
    return this.memory.bytes;
  }

  /** PyProxies of the current run still alive (see RunGuard). */
  get liveProxies(): number {
    return this.guard.live;
  }

  /** They belong to a checkpoint from now on (RunGuard.keepLive). */
  keepLiveProxies(): number {
    return this.guard.keepLive();
  }

  /**
   * The pages of the memory that differ from the record now, with their bytes: what a
   * checkpoint taken now adds to the end-of-boot state (./checkpoint.ts). Null when the
   * memory grew by more than a recycle keeps.
   */
  memoryDelta(): { readonly pages: Int32Array; readonly bytes: Uint8Array; readonly length: number } | null {
    const heap = this.em.HEAPU8;
    if (heap.length > this.memory.length + RECYCLE_GROWTH_MAX) return null;
    const pages: number[] = [];
    for (let p = 0; p < heap.length / PAGE; p++) if (this.memory.differs(heap, p, this.scan)) pages.push(p);
    const bytes = new Uint8Array(pages.length * PAGE);
    pages.forEach((p, i) => bytes.set(heap.subarray(p * PAGE, (p + 1) * PAGE), i * PAGE));
    return { pages: Int32Array.from(pages), bytes, length: heap.length };
  }

  /** After a kill: the run's proxies are made unusable (RunGuard.disarm), so they hold no worker back. */
  disarmRun(): void {
    this.guard.disarm("This Python object belonged to a process that was killed: its interpreter has been reset.");
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
    this.memory.restore(this.em.HEAPU8, this.scan, pageAboveBreak(this.em));
    this.em.stackRestore(this.sp);
    this.hiwire.restore();
    // The restored memory says interrupts are off; the JS side must agree until the next process turns them on.
    this.em.Py_EmscriptenSignalBuffer = undefined;
    this.fs.restore({ keepShared: true });
  }

  /** What the last restore left under the shared roots for the next start (fs-restore.ts's writeStartFiles). */
  get leftover(): Leftover {
    return this.fs.leftover;
  }
}

/**
 * A child's start, kept for the next run of the same child (controlled mode only).
 *
 * A schedule search re-executes one program many times, and every child of it starts the same
 * way in every schedule until a choice differs: its first point (`start`), then the spawn
 * protocol (re-import the main script as `__mp_main__`, unpickle the Process) up to its own
 * code. In a controlled run that prefix is deterministic: the random stream is seeded from the
 * run's seed, the clock is virtual, pids are handed out from 2 again, and no other process
 * moves while it runs. So the worker keeps the interpreter as it is at the end of the prefix
 * (`_spawnpoint.main.begin` returned, the JS stack empty): the memory pages that differ from
 * the end-of-boot record (./recycle.ts), hiwire's table, the file system, the gate's and the
 * file mirror's state, and every syscall the prefix made with the kernel's answer.
 *
 * When a later start is the same (same pid, parent, cwd, args, files and pickled Process,
 * compared byte for byte) the worker sends the prefix's syscalls to the kernel again, in
 * order, so the kernel sees exactly what a full run would show it (the `start` point waits
 * for its turn as before); if every answer is the one kept, the kept state is put back and
 * `resume()` runs the child's own code, a real execution from there on. If an answer differs,
 * the prefix runs for real, its first calls answered with what the kernel already said
 * (SyscallChannel.answerFrom), and the checkpoint is replaced by the new run's.
 *
 * Only a prefix whose syscalls are all in PREFIX_CALLS is kept: reading the kernel's files
 * and the `start` point. One that writes output, takes a lock or touches a queue (module-level
 * code of the script doing so) changes shared state outside the syscalls, so it always runs.
 */
import type { HostToWorker } from "../protocol";
import type { Booted } from "./boot";
import { Killed, kill } from "./kill";
import { restoreMirrorState, saveMirrorState, withoutMirror, type EmFS, type MirrorState } from "./fs-mirror";
import { FsRecord, putFiles, type RestorableFS, type StartFS } from "./fs-restore";
import { HiwireRecord, type RecyclableModule } from "./recycle";
import { sched, type GateState } from "./sched-gate";
import type { LoggedCall } from "./syscall-channel";

type StartMsg = Extract<HostToWorker, { type: "start" }>;

/** The syscalls a kept prefix may make besides its `start` point: reads of the kernel's files, whose answers change only the worker's file system (which the checkpoint keeps). */
const PREFIX_CALLS = new Set(["fs_lookup"]);

const PAGE = 4096;

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What makes one start the same as another (see the banner). The files' bytes do not count:
 * the worker's copy of a shared file is only a cache, brought up to date from the kernel
 * (fs_lookup) at every open and stat, so what the prefix read of them is in its log and
 * compared there, and the others are put as this start has them (Checkpoint.restore). Nor do
 * their names, unless the prefix looked up a directory (what that does depends on them).
 */
class StartKey {
  private readonly text: string;
  private readonly bytes: Uint8Array | null;
  readonly paths: readonly string[];

  constructor(
    msg: StartMsg,
    private readonly byPath: boolean,
  ) {
    this.text = StartKey.text(msg);
    this.bytes = msg.bytes && msg.bytes.slice();
    this.paths = msg.files.map(([p]) => p);
  }

  private static text(msg: StartMsg): string {
    return JSON.stringify([msg.pid, msg.ppid, msg.cwd, msg.args]);
  }

  matches(msg: StartMsg): boolean {
    if (StartKey.text(msg) !== this.text || !sameBytes(this.bytes, msg.bytes)) return false;
    return !this.byPath || (msg.files.length === this.paths.length && msg.files.every(([p], i) => p === this.paths[i]));
  }
}

/** Whether the prefix looked up a directory of the kernel's fs. */
function listedDir(log: readonly LoggedCall[]): boolean {
  return log.some((c) => c.name === "fs_lookup" && c.answer !== null && c.answer.ok === 1 && (JSON.parse(c.answer.json) as { kind?: string } | null)?.kind === "dir");
}

/** Whether a prefix's syscalls allow keeping it (see PREFIX_CALLS). */
function keepable(log: readonly LoggedCall[]): boolean {
  let points = 0;
  for (const c of log) {
    if (c.name === "sched_point") {
      const op = (JSON.parse(c.argsJson) as { op?: string; block?: unknown }).op;
      if (op !== "start" || ++points > 1) return false;
    } else if (!PREFIX_CALLS.has(c.name)) return false;
  }
  return points === 1;
}

function sameAnswer(a: LoggedCall["answer"], ok: number, json: string, bytes: Uint8Array | null): boolean {
  return a !== null && a.ok === ok && a.json === json && sameBytes(a.bytes, bytes);
}

class Checkpoint {
  constructor(
    readonly key: StartKey,
    readonly log: readonly LoggedCall[],
    private readonly delta: { readonly pages: Int32Array; readonly bytes: Uint8Array; readonly length: number },
    private readonly sp: number,
    private readonly hiwire: HiwireRecord,
    private readonly fs: FsRecord,
    private readonly gate: GateState,
    private readonly where: (() => string) | null,
    private readonly mirror: MirrorState,
  ) {
    for (const c of log) if (c.name === "fs_lookup") this.synced.add((JSON.parse(c.argsJson) as { path: string }).path);
  }

  /** Shared paths the prefix looked up in the kernel's fs. */
  private readonly synced = new Set<string>();

  /** The memory can take the kept pages (it never shrinks, but may not have grown as far yet). */
  fits(em: RecyclableModule): boolean {
    return em.HEAPU8.length >= this.delta.length;
  }

  /** Puts the interpreter back to the end of the prefix. The worker is at its end-of-boot state. */
  restore(em: RecyclableModule, FS: EmFS, files: StartMsg["files"]): void {
    const heap = em.HEAPU8;
    const { pages, bytes } = this.delta;
    for (let i = 0; i < pages.length; ) {
      // Pages in a row are one copy.
      let n = 1;
      while (i + n < pages.length && pages[i + n] === pages[i] + n) n++;
      heap.set(bytes.subarray(i * PAGE, (i + n) * PAGE), pages[i] * PAGE);
      i += n;
    }
    em.stackRestore(this.sp);
    this.hiwire.restore();
    withoutMirror(FS, () => {
      this.fs.restore();
      // The start's files as this start has them (a full run writes them before the prefix),
      // but those the prefix brought up to date from the kernel: those are as its answers said.
      const now = new Set(files.map(([p]) => p));
      for (const p of this.key.paths) if (!now.has(p) && !this.synced.has(p) && FS.analyzePath(p).exists) FS.unlink(p);
      putFiles(FS as unknown as StartFS, files.filter(([p]) => !this.synced.has(p)));
    });
    sched.restoreState(this.gate);
    sched.resumeWhere(this.where);
    restoreMirrorState(FS, this.mirror);
  }
}

/** This worker's checkpoint (one interpreter per worker, so module state). */
let kept: Checkpoint | null = null;
/** The current process went on from the checkpoint (its exit tells the host, which counts them). */
let resumed = false;

export function resumedFromCheckpoint(): boolean {
  return resumed;
}

/**
 * Runs the process's Python (`_spawnpoint.main.begin`, then `resume` for a child) and returns
 * its exit status; for a child of a controlled run, from a kept checkpoint when it can.
 */
export function runPython(b: Booted, msg: StartMsg, args: () => unknown): number {
  const em = b.em as unknown as RecyclableModule;
  const FS = b.py.FS as unknown as EmFS;
  const recycler = b.recycler;
  const child = msg.args.kind !== "main";
  const keeping = msg.checkpoint === true && child && recycler !== null && b.relay === null && sched.on;
  resumed = false;
  if (keeping && kept && kept.fits(em) && kept.key.matches(msg)) {
    // The kernel sees the prefix's syscalls again; the kept state stands only if it answers the same.
    const answered: LoggedCall[] = [];
    let same = true;
    for (const c of kept.log) {
      if (c.answer === null) {
        b.channel.post(c.name, c.argsJson, c.bytes);
        answered.push(c);
        continue;
      }
      const ok = b.channel.call(c.name, c.argsJson, c.bytes, c.name !== "sched_point");
      const json = b.channel.replyJson;
      const bytes = b.channel.replyBytes;
      answered.push({ ...c, answer: { ok, json, bytes: bytes && bytes.slice() } });
      if (!sameAnswer(c.answer, ok, json, bytes)) {
        same = false;
        break;
      }
    }
    if (same) {
      kept.restore(em, FS, msg.files);
      resumed = true;
      return resume(b);
    }
    kept = null;
    // Python runs the prefix; the calls the kernel already answered are answered from here.
    b.channel.answerFrom(answered);
  }
  b.channel.log = keeping ? [] : null;
  let status: number | undefined;
  try {
    const main = b.py.pyimport("_spawnpoint.main") as unknown as { begin(a: unknown, p: Uint8Array | null): unknown; destroy(): void };
    try {
      const a = args() as { destroy(): void };
      const r = main.begin(a, msg.bytes);
      // Killed in a wait: its Python was unwound mid-call, so none of it is touched again.
      if (kill.pending) throw new Killed();
      a.destroy();
      status = r === undefined || r === null ? undefined : Number(r);
    } finally {
      if (!kill.pending) main.destroy();
    }
  } finally {
    const log = b.channel.log;
    b.channel.log = null;
    b.channel.answerFrom([]);
    // The one proxy a prefix leaves is the gate's line finder (_spawnpoint.sched.start makes it).
    const proxies = recycler?.liveProxies ?? -1;
    if (status === undefined && !kill.pending && keeping && log && recycler && keepable(log) && (proxies === 0 || (proxies === 1 && sched.hasWhere))) {
      const delta = recycler.memoryDelta();
      const mirror = saveMirrorState(FS);
      if (delta && mirror) {
        recycler.keepLiveProxies();
        kept = new Checkpoint(new StartKey(msg, listedDir(log)), log, delta, em.stackSave(), new HiwireRecord(em), new FsRecord(FS as unknown as RestorableFS), sched.saveState(), sched.keepWhere(), mirror);
      }
    }
  }
  return status ?? resume(b);
}

function resume(b: Booted): number {
  const main = b.py.pyimport("_spawnpoint.main") as unknown as { resume(): unknown; destroy(): void };
  try {
    return Number(main.resume());
  } finally {
    if (!kill.pending) main.destroy();
  }
}

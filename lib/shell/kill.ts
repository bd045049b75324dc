/** The `kill` built-in: `kill [-s NAME | -n NUM | -NAME | -NUM] PID|%JOB…` and `kill -l [SIG]`, bash's forms. */
import { Signal, isSignal, parseSignal, signalName, type SignalNumber } from "@/lib/runtime/port";
import { Errno, strerror } from "@/lib/kernel/errors";
import type { Job } from "./jobs";

/** The signals the kernel delivers, in number order. */
const DELIVERED = Object.values(Signal)
  .filter(isSignal)
  .sort((a, b) => a - b);

export interface KillContext {
  signal(pid: number, sig: SignalNumber): void;
  /** Resolves `%N`; undefined for a malformed spec, null for no such job. */
  findJob(spec: string): Job | null | undefined;
  /** The live processes of a job (its process group). */
  pidsOf(job: Job): number[];
  write(s: string): void;
  err(s: string): void;
}

function lookup(s: string): SignalNumber | null {
  const n = parseSignal(s);
  return n !== undefined && isSignal(n) ? n : null;
}

function invalid(ctx: KillContext, spec: string): number {
  ctx.err(`kill: ${spec}: invalid signal specification (signals here: ${DELIVERED.map((n) => signalName(n)?.slice(3)).join(" ")})\n`);
  return 1;
}

export function kill(args: readonly string[], ctx: KillContext): number {
  if (args[0] === "-l" || args[0] === "-L") {
    if (args.length > 1) {
      // kill -l 15 → TERM; kill -l TERM → 15
      for (const a of args.slice(1)) {
        const n = lookup(a);
        if (n === null) return invalid(ctx, a);
        ctx.write(/^\d+$/.test(a) ? `${signalName(n)?.slice(3)}\n` : `${n}\n`);
      }
      return 0;
    }
    // Five to a line, as bash lists them.
    const cells = DELIVERED.map((n) => `${String(n).padStart(2)}) ${signalName(n)}`);
    const lines: string[] = [];
    for (let i = 0; i < cells.length; i += 5) lines.push(cells.slice(i, i + 5).join("\t"));
    ctx.write(lines.join("\n") + "\n");
    return 0;
  }
  let sig: SignalNumber = Signal.SIGTERM;
  let k = 0;
  if (args[0] === "-s" || args[0] === "-n") {
    const s = lookup(args[1] ?? "");
    if (s === null) return invalid(ctx, args[1] ?? "");
    sig = s;
    k = 2;
  } else if (args[0]?.startsWith("-") && args[0] !== "--") {
    const s = lookup(args[0].slice(1));
    if (s === null) return invalid(ctx, args[0].slice(1));
    sig = s;
    k = 1;
  } else if (args[0] === "--") k = 1;
  const targets = args.slice(k);
  if (targets.length === 0) {
    ctx.err("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
    return 2;
  }
  let code = 0;
  for (const t of targets) {
    let pids: number[];
    if (t.startsWith("%")) {
      const job = ctx.findJob(t);
      if (!job) {
        ctx.err(`kill: ${t}: no such job\n`);
        code = 1;
        continue;
      }
      // %N is the job's process group: the program and the processes it started.
      pids = ctx.pidsOf(job);
      if (job.stopped && (sig === Signal.SIGTERM || sig === Signal.SIGHUP)) {
        // A stopped job acts on SIGTERM or SIGHUP only once it runs again: bash continues it.
        sendAll(ctx, pids, sig);
        sendAll(ctx, pids, Signal.SIGCONT);
        continue;
      }
    } else if (/^\d+$/.test(t)) {
      pids = [Number(t)];
    } else {
      ctx.err(`kill: ${t}: arguments must be process or job IDs\n`);
      code = 1;
      continue;
    }
    for (const pid of pids) {
      try {
        ctx.signal(pid, sig);
      } catch (e) {
        const errno = (e as { errno?: unknown }).errno;
        ctx.err(`kill: (${pid}) - ${strerror(errno === Errno.EPERM ? Errno.EPERM : Errno.ESRCH)}\n`);
        code = 1;
      }
    }
  }
  return code;
}

function sendAll(ctx: KillContext, pids: readonly number[], sig: SignalNumber): void {
  for (const pid of pids) {
    try {
      ctx.signal(pid, sig);
    } catch {
      // ended meanwhile
    }
  }
}

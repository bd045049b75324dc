/** Process syscalls: spawn, waitpid, waitany, kill (also of a group), getpgid, sigaction, signal masks and sigwait, itimers, exit, getppid, naming and worker-side block notes. */
import { KernelError } from "./errors";
import type { BlockOn, UnblockReason } from "./events";
import type { Kernel } from "./kernel";
import { INIT_PID } from "./process-table";
import { isSignal, type Disposition, type SignalNumber } from "./signals";
import { argBool, argInt, argInts, argNum, argStr, argTimeout, type JsonObject, type SyscallCall, type SyscallOutcome, type SyscallResult } from "./syscalls";
import type { WaitQueue } from "./wait-queue";

const BLOCK_ON: readonly BlockOn[] = ["lock", "queue", "join", "sleep", "socket", "input", "pipe", "event", "barrier"];
const UNBLOCK: readonly UnblockReason[] = ["ready", "timeout", "interrupted", "killed"];
const DISPOSITIONS: readonly Disposition[] = ["default", "ignore", "handler"];

/** A wait for a child's end: `check`'s answer now if it has one, null with `nohang`, else a block on the exit queues until it has (null at the timeout). */
function waitForChild(args: JsonObject, object: string, queues: () => WaitQueue[], check: () => SyscallResult | undefined): SyscallOutcome {
  const done = check();
  if (done) return done;
  if (argBool(args, "nohang")) return { value: null };
  return { block: { on: "join", object, timeoutMs: argTimeout(args), queues: queues(), check, onTimeout: () => ({ value: null }) } };
}

/**
 * kill(2) to a process group: pid 0 is the caller's, -N the group N, -1 every process the
 * caller may signal but itself. A program is one group, led by its main process (as a shell
 * makes each job one). The caller's own signal goes last: its handler runs as the call
 * returns, after the others have theirs.
 */
function killGroup(kernel: Kernel, from: number, target: number, sig: number): SyscallOutcome {
  if (sig !== 0 && !isSignal(sig)) throw KernelError.os("EINVAL");
  const group = target === 0 || target === -1 ? kernel.programOf(from) : -target;
  const members = kernel.table
    .snapshot()
    .filter((p) => p.pid !== INIT_PID && kernel.programOf(p.pid) === group && !(target === -1 && p.pid === from))
    .sort((a, b) => Number(a.pid === from) - Number(b.pid === from) || b.pid - a.pid);
  if (members.length === 0) throw KernelError.os("ESRCH");
  if (!members.some((p) => kernel.mayAffect(from, p.pid))) throw KernelError.os("EPERM");
  if (sig === 0) return { value: null };
  for (const p of members) if (p.state !== "zombie") kernel.signal(p.pid, sig as SignalNumber, from);
  return { value: null };
}

export function registerProcessSyscalls(kernel: Kernel): void {
  kernel.syscalls.register("process", {
    /** args: name, daemon, inherit (handles passed to the child); bytes: the runtime's start payload. */
    spawn({ pid, args, bytes }: SyscallCall): SyscallOutcome {
      const child = kernel.spawn(pid, argStr(args, "name"), argBool(args, "daemon"), { args, bytes }, argInts(args, "inherit"));
      return { value: child };
    },

    /**
     * waitpid(pid, timeoutMs | null, nohang): the exit code (reaping the child), or null if
     * still running. With `nowait` the child stays a zombie (waitid's WNOWAIT): what a
     * process sentinel's readiness needs, before join() reaps.
     */
    waitpid({ pid, args }: SyscallCall): SyscallOutcome {
      const target = argInt(args, "pid");
      const entry = kernel.table.get(target);
      if (!entry || entry.ppid !== pid) throw KernelError.os("ECHILD");
      const nowait = argBool(args, "nowait");
      const check = (): { value: number } | undefined => {
        const e = kernel.table.get(target);
        if (!e) throw KernelError.os("ECHILD");
        if (e.state !== "zombie") return undefined;
        return { value: nowait ? (e.exitCode ?? 0) : kernel.reap(target, pid) };
      };
      return waitForChild(args, `pid ${target}`, () => [kernel.exitQueue(target)], check);
    },

    /**
     * waitpid(-1, …) (os.wait): any child's end. [pid, exit code] of a zombie child (the
     * oldest, reaped), null with `nohang` (or at the timeout) while they all run, ECHILD
     * when there are none. `children` lists them instead (live and zombie), reaping nothing.
     */
    waitany({ pid, args }: SyscallCall): SyscallOutcome {
      const mine = (): number[] => kernel.table.childrenOf(pid).map((e) => e.pid).sort((a, b) => a - b);
      if (argBool(args, "children")) return { value: mine() };
      const check = (): { value: [number, number] } | undefined => {
        const children = mine();
        if (children.length === 0) throw KernelError.os("ECHILD");
        const zombie = children.find((c) => kernel.table.get(c)?.state === "zombie");
        return zombie === undefined ? undefined : { value: [zombie, kernel.reap(zombie, pid)] };
      };
      return waitForChild(args, "any child", () => mine().map((c) => kernel.exitQueue(c)), check);
    },

    /**
     * waitstarted(pids, timeoutMs | null): returns once each of these children has left
     * "starting" (its interpreter runs it, it stopped, or it ended). A Pool waits so for its
     * workers: CPython's all run within milliseconds of Pool(), so tasks spread over them,
     * but a worker here may first boot an interpreter, and the first one up would take task
     * after task meanwhile. True when all are up, false at the timeout.
     */
    waitstarted({ pid, args }: SyscallCall): SyscallOutcome {
      const pids = argInts(args, "pids").filter((p) => kernel.table.get(p)?.ppid === pid);
      const starting = (): number[] => pids.filter((p) => kernel.table.get(p)?.state === "starting");
      const check = (): { value: boolean } | undefined => (starting().length === 0 ? { value: true } : undefined);
      const now = check();
      if (now) return now;
      const queues = starting().flatMap((p) => [kernel.startQueue(p), kernel.exitQueue(p)]);
      return { block: { on: "join", object: `pids ${pids.join(",")} starting`, timeoutMs: argTimeout(args), queues, check, onTimeout: () => ({ value: false }) } };
    },

    kill({ pid, args }: SyscallCall): SyscallOutcome {
      const sig = argInt(args, "signal");
      if (argInt(args, "pid") <= 0) return killGroup(kernel, pid, argInt(args, "pid"), sig);
      if (sig === 0) {
        // kill(pid, 0): existence check only.
        const target = argInt(args, "pid");
        kernel.table.require(target);
        if (!kernel.mayAffect(pid, target)) throw KernelError.os("EPERM");
        return { value: null };
      }
      if (!isSignal(sig)) throw KernelError.os("EINVAL");
      kernel.signal(argInt(args, "pid"), sig, pid);
      return { value: null };
    },

    /** getpgid(pid) (0: the caller): its process group, its program's (the main process leads it, as a shell's job). */
    getpgid({ pid, args }: SyscallCall): SyscallOutcome {
      const target = argInt(args, "pid") || pid;
      kernel.table.require(target);
      return { value: kernel.programOf(target) };
    },

    /** signal.signal: the new disposition of `signal` (default, ignore, handler); returns the old one. */
    sigaction({ pid, args }: SyscallCall): SyscallOutcome {
      const action = argStr(args, "action") as Disposition;
      if (!DISPOSITIONS.includes(action)) throw KernelError.os("EINVAL");
      const old = kernel.signals.setDisposition(pid, argInt(args, "signal"), action);
      if (old === false) throw KernelError.os("EINVAL");
      return { value: old };
    },

    /** sigprocmask(how, signals): SIG_BLOCK 0, SIG_UNBLOCK 1, SIG_SETMASK 2; returns the old mask. */
    sigprocmask({ pid, args }: SyscallCall): SyscallOutcome {
      const sigs = argInts(args, "signals");
      if (sigs.some((s) => s < 1 || s > 64)) throw KernelError.os("EINVAL");
      const old = kernel.signals.setMask(pid, argInt(args, "how"), sigs);
      if (old === false) throw KernelError.os("EINVAL");
      return { value: old };
    },

    /** sigpending(): the blocked signals that came. */
    sigpending({ pid }: SyscallCall): SyscallOutcome {
      return { value: kernel.signals.blockedPending(pid) };
    },

    /**
     * sigwait(signals, timeoutMs | null): takes the lowest pending signal of the set, [signal,
     * sender], waiting for one to come (they are blocked); null at the timeout. A caught signal
     * outside the set interrupts the wait (its handler runs, and the call goes on).
     */
    sigwait({ pid, args }: SyscallCall): SyscallOutcome {
      const set = argInts(args, "signals");
      const check = (): { value: [number, number] } | undefined => {
        const got = kernel.signals.takeBlocked(pid, set);
        return got ? { value: [got.sig, got.from] } : undefined;
      };
      const done = check();
      if (done) return done;
      const waiters = kernel.signals.sigwaiters(pid);
      if (!waiters) throw KernelError.os("ESRCH");
      return { block: { on: "sleep", object: "signal", timeoutMs: argTimeout(args), queues: [waiters], check, onTimeout: () => ({ value: null }) } };
    },

    /** setitimer(ITIMER_REAL, valueMs, intervalMs): SIGALRM after valueMs (0 disarms); returns the old [valueMs, intervalMs]. */
    setitimer({ pid, args }: SyscallCall): SyscallOutcome {
      const value = argNum(args, "valueMs");
      const interval = argNum(args, "intervalMs");
      if (value < 0 || interval < 0) throw KernelError.os("EINVAL");
      return { value: kernel.signals.setItimer(pid, value, interval) };
    },

    getitimer({ pid }: SyscallCall): SyscallOutcome {
      return { value: kernel.signals.getItimer(pid) };
    },

    exit({ pid, args }: SyscallCall): SyscallOutcome {
      kernel.exit(pid, argInt(args, "code"));
      return { value: null };
    },

    getppid({ pid }: SyscallCall): SyscallOutcome {
      return { value: kernel.table.require(pid).ppid };
    },

    setname({ pid, args }: SyscallCall): SyscallOutcome {
      kernel.rename(pid, argStr(args, "name"));
      return { value: null };
    },

    /** A worker blocks on its own (sleep, lock slow path): recorded for the event stream only. */
    note_block({ pid, args }: SyscallCall): SyscallOutcome {
      const on = argStr(args, "on") as BlockOn;
      if (!BLOCK_ON.includes(on)) throw KernelError.os("EINVAL");
      kernel.setBlocked(pid, on, argStr(args, "object"), argTimeout(args));
      return { value: null };
    },

    note_unblock({ pid, args }: SyscallCall): SyscallOutcome {
      const on = argStr(args, "on") as BlockOn;
      const reason = argStr(args, "reason") as UnblockReason;
      if (!BLOCK_ON.includes(on) || !UNBLOCK.includes(reason)) throw KernelError.os("EINVAL");
      kernel.setUnblocked(pid, on, reason);
      return { value: null };
    },
  });
}

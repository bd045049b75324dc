/**
 * The shell's jobs: what `&`, Ctrl-Z, `jobs`, `fg`, `bg` and `kill %N` work on. A job is
 * one command line's main process and every process it started (the terminal's process
 * group): Ctrl-C, Ctrl-Z, `fg` and `bg` signal all of them.
 */
import type { Redirect } from "./parse";
import { formatJob, jobState } from "./format";

export interface Job {
  /** 0 until the job is backgrounded or stopped (bash numbers only those). */
  id: number;
  readonly pid: number;
  /** The command as typed, without `&`. */
  readonly text: string;
  /** What ps shows for the main process. */
  readonly cmd: string;
  background: boolean;
  running: boolean;
  /** Stopped by SIGSTOP/SIGTSTP (its main process is in state T). */
  stopped: boolean;
  exitCode: number | null;
  readonly exit: Promise<number>;
  /** Takes what was typed into the job's input and not read (its RunHandle's). */
  readonly unreadInput: () => string;
  readonly redirects: readonly Redirect[];
}

export class JobTable {
  /** Numbered jobs, oldest first: the last is the current job (`+`), the one before it `-`. */
  private readonly list: Job[] = [];
  private nextId = 1;
  /** The job each live pid belongs to (children join their parent's job). */
  private readonly byPid = new Map<number, Job>();

  get all(): readonly Job[] {
    return this.list;
  }

  /** Records a job's main process. */
  track(job: Job): void {
    this.byPid.set(job.pid, job);
  }

  /** A process started: it belongs to its parent's job. */
  adopt(pid: number, ppid: number): void {
    const job = this.byPid.get(ppid);
    if (job) this.byPid.set(pid, job);
  }

  forget(pid: number): void {
    this.byPid.delete(pid);
  }

  of(pid: number): Job | undefined {
    return this.byPid.get(pid);
  }

  /** The pids of `job`'s processes among `pids` (the terminal signals the whole group). */
  members(job: Job, pids: readonly number[]): number[] {
    return pids.filter((pid) => this.byPid.get(pid) === job);
  }

  /** Numbers the job (if it has no number yet) and makes it the current one. */
  add(job: Job): void {
    if (job.id === 0) job.id = this.nextId++;
    const i = this.list.indexOf(job);
    if (i >= 0) this.list.splice(i, 1);
    this.list.push(job);
  }

  remove(job: Job): void {
    const i = this.list.indexOf(job);
    if (i >= 0) this.list.splice(i, 1);
    if (this.list.length === 0) this.nextId = 1;
  }

  mark(job: Job): string {
    const n = this.list.length;
    if (this.list[n - 1] === job) return "+";
    if (this.list[n - 2] === job) return "-";
    return " ";
  }

  /** `%N`, `%+`/`%%`/none (current), `%-` (previous); undefined for a malformed spec, null for no such job. */
  find(spec: string | undefined): Job | null | undefined {
    if (spec === undefined || spec === "%" || spec === "%+" || spec === "%%") return this.list[this.list.length - 1] ?? null;
    if (spec === "%-") return this.list[this.list.length - 2] ?? null;
    const n = Number(spec.replace(/^%/, ""));
    if (!Number.isInteger(n)) return undefined;
    return this.list.find((j) => j.id === n) ?? null;
  }

  /** One `jobs` line: `[1]+  Stopped                 python3 loop.py`. */
  line(job: Job): string {
    const state = job.stopped && job.running ? "Stopped" : jobState(job.running, job.exitCode);
    return formatJob(job.id, this.mark(job), state, job.text + (job.running && !job.stopped ? " &" : ""));
  }
}

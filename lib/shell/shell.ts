/**
 * The shell: a small bash-like command interpreter over a machine, with no UI. Feed it raw
 * terminal input (`input`, e.g. from xterm's onData) and give it a `write` for its output.
 *
 * It runs Python programs (`python FILE [ARGS]`, `python -c CODE`) in the foreground or, with
 * `&`, in the background as jobs (jobs.ts). The terminal's keys act on the foreground job's
 * processes, as on a terminal's foreground process group: Ctrl-C sends SIGINT
 * (KeyboardInterrupt), Ctrl-Z sends SIGTSTP (the job stops; `fg` / `bg` continue it with
 * SIGCONT), Ctrl-D ends the program's input (EOFError). Built-ins: jobs, fg, bg, ps, pstree
 * (ps.ts), kill (kill.ts), ls, cat, rm, cd (files.ts), echo, pwd, clear, history, help.
 * Anything else: `NAME: command not found` and status 127, as in bash.
 *
 * Longer than most files on purpose: the terminal's modes (prompt, built-in, foreground
 * job), job control and output interleaving share one state machine, kept in one place.
 */
import { Signal, type MachinePort, type RunHandle, type SignalNumber } from "@/lib/runtime/port";
import { ShellFiles } from "./files";
import { jobState } from "./format";
import { builtin } from "./builtins";
import { JobTable, type Job } from "./jobs";
import { LineEditor } from "./line-editor";
import { ParseError, parseLine, type SimpleCommand } from "./parse";
import { ProcessView } from "./ps";
import { parsePython } from "./python-cmd";

export interface ShellOptions {
  readonly machine: MachinePort;
  /** Receives everything the terminal should show (ANSI text with \r\n line ends). */
  readonly write: (text: string) => void;
  /** Default "user". */
  readonly user?: string;
  /** Default "spawnpoint". */
  readonly hostname?: string;
  /** What `python --version` says. Default "3.14.2" (Pyodide 314's CPython). */
  readonly pythonVersion?: string;
}

type Out = (s: string) => void;

export class Shell {
  private readonly m: MachinePort;
  private readonly out: Out;
  private readonly user: string;
  private readonly hostname: string;
  private readonly pythonVersion: string;
  private readonly editor = new LineEditor();
  private readonly programInput = new LineEditor({ history: false });
  private readonly files: ShellFiles;
  private readonly jobs = new JobTable();
  private readonly view: ProcessView;
  private mode: "prompt" | "busy" | "foreground" = "busy";
  private foreground: Job | null = null;
  /** Resolves the foreground wait when its job stops (Ctrl-Z, SIGSTOP). */
  private onForegroundStop: (() => void) | null = null;
  private readonly notices: string[] = [];
  /**
   * What was typed while no prompt was reading: keys typed during a built-in, lines a foreground
   * program left unread, a line begun while it ran. The next prompt reads it, as bash reads a
   * tty's typeahead (and echoes it again at the prompt).
   */
  private typeahead = "";
  private partialLine = false;
  private status = 0;
  private readonly disposers: (() => void)[] = [];
  private disposed = false;

  constructor(options: ShellOptions) {
    this.m = options.machine;
    this.out = options.write;
    this.user = options.user ?? "user";
    this.hostname = options.hostname ?? "spawnpoint";
    this.pythonVersion = options.pythonVersion ?? "3.14.2";
    this.files = new ShellFiles(this.m);
    this.view = new ProcessView(this.m, (p) => {
      const job = this.jobs.of(p.pid);
      const base = job ? job.cmd : "python";
      return job && job.pid === p.pid ? base : `${base} (${p.name})`;
    });
    this.disposers.push(
      this.m.onOutput(({ pid, fd, text }) => this.onOutput(pid, fd, text)),
      this.m.onEvent((e) => {
        this.view.onEvent(e);
        if (e.type === "spawn") this.jobs.adopt(e.pid, e.ppid);
        else if (e.type === "reap") this.jobs.forget(e.pid);
        else if (e.type === "state" && e.state !== "zombie") this.jobStateChanged(e.pid, e.state === "stopped");
      }),
    );
  }

  /** Prints the first prompt. */
  start(): void {
    this.showPrompt();
  }

  /** The last command's exit status (`$?`). */
  get lastStatus(): number {
    return this.status;
  }

  /** History, oldest first. */
  get history(): readonly string[] {
    return this.editor.history;
  }

  /** Raw terminal input: keys go to the prompt's line editor, or to the foreground program. */
  input(data: string): void {
    if (this.disposed) return;
    if (this.mode === "foreground") {
      for (const ev of this.programInput.feed(data)) {
        if (ev.type === "output") this.out(ev.text);
        // The job's own stdin (other programs on the machine have theirs).
        else if (ev.type === "line") this.m.writeStdin(ev.text + "\n", this.foreground?.pid);
        else if (ev.type === "interrupt") {
          this.flushInput();
          this.signalForeground(Signal.SIGINT);
        } else if (ev.type === "suspend") {
          this.out("^Z");
          this.flushInput();
          this.signalForeground(Signal.SIGTSTP);
        } else if (ev.type === "eof") this.m.closeStdin(this.foreground?.pid);
      }
      return;
    }
    if (this.mode !== "prompt") {
      this.keepForPrompt(data);
      return;
    }
    for (const ev of this.editor.feed(data)) {
      if (ev.type === "output") this.out(ev.text);
      else if (ev.type === "interrupt") {
        this.status = 130;
        this.showPrompt();
      } else if (ev.type === "clear") {
        this.out("\x1b[H\x1b[2J" + this.editor.render());
      } else if (ev.type === "line") {
        this.editor.addHistory(ev.text);
        this.mode = "busy";
        // What follows the line in this chunk was typed ahead of the command: the next prompt's.
        this.typeahead = data.slice(ev.end) + this.typeahead;
        void this.execute(ev.text).then(() => this.showPrompt());
        return;
      }
    }
  }

  /** Runs one command line to the end (foreground jobs included) and returns its status. */
  async execute(line: string): Promise<number> {
    let commands: SimpleCommand[];
    try {
      commands = parseLine(line, { status: this.status, vars: { HOME: this.m.cwd, PWD: this.m.cwd, USER: this.user } });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.print(`sh: ${e.message}\n`);
      this.status = 2;
      return this.status;
    }
    for (const cmd of commands) {
      if (cmd.after === "&&" && this.status !== 0) continue;
      if (cmd.after === "||" && this.status === 0) continue;
      this.status = await this.runCommand(cmd);
    }
    return this.status;
  }

  /** Stops listening to the machine (the terminal is going away). Jobs keep running on the machine. */
  dispose(): void {
    this.disposed = true;
    for (const d of this.disposers.splice(0)) d();
  }

  // ─── commands ────────────────────────────────────────────────────────────

  private async runCommand(cmd: SimpleCommand): Promise<number> {
    const [name, ...args] = cmd.argv;
    if (name === "python" || name === "python3") return this.python(cmd, name, args);
    if (name === "fg" || name === "bg") {
      if (cmd.background && name === "fg") {
        this.print("fg: cannot run fg in the background\n");
        return 1;
      }
      return name === "fg" ? this.fg(args) : this.bg(args);
    }
    let buffer = "";
    const write: Out = (s) => {
      buffer += s;
    };
    const err: Out = (s) => this.print(s);
    const code = builtin(name, args, {
      write,
      err,
      m: this.m,
      files: this.files,
      jobs: this.jobs,
      view: this.view,
      history: this.editor.history,
      jobPids: (job) => this.jobPids(job),
    });
    if (code === null) {
      err(`${name}: command not found\n`);
      return 127;
    }
    if (buffer) {
      const redirect = [...cmd.redirects].reverse().find((r) => r.fd === 1);
      if (redirect) {
        const r = this.files.writeFile(redirect, buffer);
        if (r !== null) {
          err(r);
          return 1;
        }
      } else this.print(buffer);
    }
    for (const r of cmd.redirects) if (r.fd === 2 || !buffer) this.files.writeFile(r, "", true);
    return code;
  }

  private python(cmd: SimpleCommand, name: string, args: string[]): Promise<number> | number {
    const what = parsePython(this.m, name, args, (p) => this.files.abs(p), this.pythonVersion);
    if (what.kind === "print") {
      this.print(what.text);
      return what.status;
    }
    for (const r of cmd.redirects) {
      const e = this.files.writeFile(r, "", r.append);
      if (e !== null) {
        this.print(e);
        return 1;
      }
    }
    let handle: RunHandle;
    try {
      // A redirected stream is a file, no terminal: isatty() False, stdout block-buffered (as bash gives python3).
      const piped = [...new Set(cmd.redirects.map((r) => r.fd))];
      handle = this.m.run({ files: {}, entry: what.entry, argv: what.argv, argv0: what.argv0, piped });
    } catch (e) {
      this.print(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    const job: Job = {
      id: 0,
      pid: handle.pid,
      text: cmd.text.replace(/\s*&$/, ""),
      cmd: [name, ...args].join(" "),
      background: cmd.background,
      running: true,
      stopped: false,
      exitCode: null,
      exit: handle.exit,
      unreadInput: handle.unreadInput,
      redirects: cmd.redirects,
    };
    this.jobs.track(job);
    void handle.exit.then((code) => this.jobExited(job, code));
    if (!cmd.background) return this.waitForeground(job);
    this.jobs.add(job);
    this.print(`[${job.id}] ${job.pid}\n`);
    return 0;
  }

  private fg(args: string[]): Promise<number> | number {
    const job = this.jobs.find(args[0]);
    if (!job) {
      this.print(`fg: ${args[0] ?? "current"}: no such job\n`);
      return 1;
    }
    this.print(job.text + "\n");
    this.jobs.remove(job);
    if (job.stopped) this.signalJob(job, Signal.SIGCONT);
    return this.waitForeground(job);
  }

  private bg(args: string[]): number {
    const job = this.jobs.find(args[0]);
    if (!job) {
      this.print(`bg: ${args[0] ?? "current"}: no such job\n`);
      return 1;
    }
    if (!job.stopped) {
      this.print(`bg: job ${job.id} already in background\n`);
      return 0;
    }
    job.background = true;
    this.signalJob(job, Signal.SIGCONT);
    this.print(`[${job.id}]${this.jobs.mark(job)} ${job.text} &\n`);
    return 0;
  }

  // ─── jobs ────────────────────────────────────────────────────────────────

  /** Waits until the job ends or stops; returns its status (128 + N for signal N, 148 when stopped by Ctrl-Z). */
  private async waitForeground(job: Job): Promise<number> {
    this.foreground = job;
    job.background = false;
    this.mode = "foreground";
    this.programInput.reset();
    // Typed ahead of the job (a pasted command line and its input): the job's to read.
    this.feedTypeahead();
    const stopped = new Promise<"stopped">((resolve) => (this.onForegroundStop = () => resolve("stopped")));
    const outcome = await Promise.race([job.exit, stopped]);
    this.foreground = null;
    this.onForegroundStop = null;
    this.mode = "busy";
    // The terminal is the shell's again: the lines the job left unread, then the line begun.
    this.typeahead = job.unreadInput() + this.programInput.buffer + this.typeahead;
    this.programInput.reset();
    if (this.partialLine || outcome === "stopped") {
      this.out("\r\n");
      this.partialLine = false;
    }
    if (outcome === "stopped") {
      this.jobs.add(job);
      this.print(this.jobs.line(job) + "\n");
      return 128 + Signal.SIGTSTP;
    }
    if (outcome === -9 || outcome === -15) this.print(`${jobState(false, outcome)}\n`);
    this.jobs.remove(job);
    return outcome < 0 ? 128 - outcome : outcome;
  }

  /** A job's main process stopped (state T) or runs again. */
  private jobStateChanged(pid: number, stopped: boolean): void {
    const job = this.jobs.of(pid);
    if (!job || job.pid !== pid || !job.running || job.stopped === stopped) return;
    job.stopped = stopped;
    if (stopped && job === this.foreground) this.onForegroundStop?.();
    else if (stopped && job.background) this.notify(job);
  }

  private jobExited(job: Job, code: number): void {
    job.running = false;
    job.stopped = false;
    job.exitCode = code;
    if (job === this.foreground || this.disposed || !this.jobs.all.includes(job)) return;
    this.notify(job);
    this.jobs.remove(job);
  }

  /** bash's `[1]+  Done …` / `Stopped …` line: above the prompt now, or before the next one. */
  private notify(job: Job): void {
    const notice = this.jobs.line(job);
    if (this.mode === "prompt") this.out(`\r\x1b[K${notice}\r\n${this.editor.render()}`);
    else this.notices.push(notice);
  }

  private jobPids(job: Job): number[] {
    return this.jobs.members(
      job,
      this.m
        .processes()
        .filter((p) => p.state !== "zombie")
        .map((p) => p.pid),
    );
  }

  /** The terminal signals the whole process group: the program and the processes it started. */
  private signalJob(job: Job, sig: SignalNumber): void {
    for (const pid of this.jobPids(job)) {
      try {
        this.m.signal(pid, sig);
      } catch {
        // it ended meanwhile
      }
    }
  }

  private signalForeground(sig: SignalNumber): void {
    if (this.foreground) this.signalJob(this.foreground, sig);
  }

  // ─── output ──────────────────────────────────────────────────────────────

  private onOutput(pid: number, fd: 1 | 2, text: string): void {
    if (this.disposed) return;
    const job = this.jobs.of(pid);
    const redirect = job ? [...job.redirects].reverse().find((r) => r.fd === fd) : undefined;
    if (redirect) {
      this.files.writeFile({ ...redirect, append: true }, text);
      return;
    }
    if (this.mode === "prompt") {
      // A background job printed while the user types: print above the prompt, then redraw it.
      this.out("\r\x1b[K" + crlf(text));
      if (text.endsWith("\n")) this.out(this.editor.render());
      else this.partialLine = true;
      return;
    }
    this.out(crlf(text));
    this.partialLine = !text.endsWith("\n");
  }

  /** Prints shell text (\n becomes \r\n for the terminal). */
  private print(text: string): void {
    this.out(crlf(text));
  }

  private showPrompt(): void {
    if (this.disposed) return;
    if (this.partialLine) {
      this.out("\r\n");
      this.partialLine = false;
    }
    for (const n of this.notices.splice(0)) this.out(n + "\r\n");
    this.mode = "prompt";
    this.editor.reset();
    this.editor.prompt = `\x1b[1;32m${this.user}@${this.hostname}\x1b[0m:\x1b[1;34m~\x1b[0m$ `;
    this.out(this.editor.render());
    this.feedTypeahead();
  }

  /** Ctrl-C and Ctrl-Z throw away what was typed and not read yet, as Linux's tty does (no NOFLSH). */
  private flushInput(): void {
    this.foreground?.unreadInput();
    this.programInput.reset();
    this.typeahead = "";
  }

  private feedTypeahead(): void {
    const ahead = this.typeahead;
    this.typeahead = "";
    if (ahead) this.input(ahead);
  }

  /** Keeps keys for the next prompt, at most a Linux tty's 4,096 (more are lost, as there). */
  private keepForPrompt(data: string): void {
    this.typeahead = (this.typeahead + data).slice(0, TYPEAHEAD_MAX);
  }
}

const TYPEAHEAD_MAX = 4096;

function crlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

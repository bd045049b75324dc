/**
 * The shell: a small bash-like command interpreter over a machine, with no UI. Feed it raw
 * terminal input (`input`, e.g. from xterm's onData) and give it a `write` for its output.
 *
 * It runs Python programs (`python FILE [ARGS]`, `python -c CODE`) in the foreground or, with
 * `&`, in the background as jobs; Ctrl-C sends SIGINT to every process of the foreground job
 * (KeyboardInterrupt in each, as a terminal does to its foreground process group); Ctrl-D
 * ends the program's input (input() raises EOFError). Built-ins: jobs, fg, ps, pstree, kill,
 * ls, cat, echo, rm, pwd, cd, clear, history, help. Anything else: `NAME: command not found`
 * and status 127, as in bash.
 */
import { LineEditor } from "./line-editor";
import { formatJob, formatPs, formatPstree, jobState, statLetter } from "./format";
import { ParseError, parseLine, type Redirect, type SimpleCommand } from "./parse";
import type { ProcessInfo } from "@/lib/kernel";
import { Signal, isSignal, parseSignal, signalName, type MachinePort, type SignalNumber } from "@/lib/runtime/port";

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

interface Job {
  readonly id: number;
  readonly pid: number;
  /** The command as typed, without `&`. */
  readonly text: string;
  /** What ps shows for the main process. */
  readonly cmd: string;
  background: boolean;
  running: boolean;
  exitCode: number | null;
  readonly exit: Promise<number>;
  readonly redirects: readonly Redirect[];
}

/** What `kill -l` lists: the signals the kernel delivers. */
const DELIVERED = Object.values(Signal).filter(isSignal);
const enc = new TextEncoder();
const dec = new TextDecoder();

const HELP = `Spawnpoint shell: every program runs on this page's simulated machine.

  python FILE [ARGS]     run a Python program (python3 works too)
  python -c CODE         run a line of Python
  COMMAND &              run in the background (a job)
  jobs                   list background jobs
  fg [%N]                bring a job to the foreground
  ps                     list processes: PID PPID STAT TIME CMD
                         (STAT: R running, S sleeping, D starting, Z zombie)
  pstree                 show the process tree
  kill [-INT|-TERM|-KILL|-2|-9|-15] PID|%N
                         send a signal (default TERM)
  ls, cat FILE, rm FILE, pwd
  echo TEXT [> FILE | >> FILE]
  history, clear, help

Keys: Ctrl-C interrupts the foreground program (KeyboardInterrupt), Ctrl-D ends its
input (EOFError), Up/Down browse history, Ctrl-L clears the screen.
`;

export class Shell {
  private readonly m: MachinePort;
  private readonly out: (text: string) => void;
  private readonly user: string;
  private readonly hostname: string;
  private readonly pythonVersion: string;
  private readonly editor = new LineEditor();
  private readonly programInput = new LineEditor({ history: false });
  private mode: "prompt" | "busy" | "foreground" = "busy";
  private foreground: Job | null = null;
  private readonly jobs: Job[] = [];
  private readonly jobOfPid = new Map<number, Job>();
  private readonly cpu = new Map<number, { total: number; since: number | null }>();
  private readonly notices: string[] = [];
  private partialLine = false;
  private status = 0;
  private nextJob = 1;
  private nextCode = 1;
  private readonly disposers: (() => void)[] = [];
  private disposed = false;

  constructor(options: ShellOptions) {
    this.m = options.machine;
    this.out = options.write;
    this.user = options.user ?? "user";
    this.hostname = options.hostname ?? "spawnpoint";
    this.pythonVersion = options.pythonVersion ?? "3.14.2";
    this.disposers.push(
      this.m.onOutput(({ pid, fd, text }) => this.onOutput(pid, fd, text)),
      this.m.onEvent((e) => {
        if (e.type === "spawn") {
          const job = this.jobOfPid.get(e.ppid);
          if (job) this.jobOfPid.set(e.pid, job);
          this.cpu.set(e.pid, { total: 0, since: null });
        } else if (e.type === "state") {
          const c = this.cpu.get(e.pid) ?? { total: 0, since: null };
          if (c.since !== null) c.total += e.t - c.since;
          c.since = e.state === "running" ? e.t : null;
          this.cpu.set(e.pid, c);
        } else if (e.type === "reap") {
          this.cpu.delete(e.pid);
          this.jobOfPid.delete(e.pid);
        }
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
        else if (ev.type === "line") this.m.writeStdin(ev.text + "\n");
        else if (ev.type === "interrupt") this.interruptForeground();
        else if (ev.type === "eof") this.m.closeStdin();
      }
      return;
    }
    if (this.mode !== "prompt") return; // a built-in is running: it takes no input
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
        void this.execute(ev.text).then(() => this.showPrompt());
        return; // the rest of this chunk was typed ahead of a command's output: dropped, like a line editor does
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
    let buffer = "";
    const write = (s: string): void => {
      buffer += s;
    };
    const err = (s: string): void => this.print(s);
    let code: number;
    switch (name) {
      case "jobs":
        code = this.cmdJobs(write);
        break;
      case "fg":
        if (cmd.background) {
          err("fg: cannot run fg in the background\n");
          return 1;
        }
        return this.cmdFg(args);
      case "ps":
        code = this.cmdPs(write);
        break;
      case "pstree":
        write(formatPstree(this.m.processes(), 1, (p) => `${p.pid === 1 ? "init" : "python"}(${p.pid})`));
        code = 0;
        break;
      case "kill":
        code = this.cmdKill(args, write, err);
        break;
      case "ls":
        code = this.cmdLs(args, write, err);
        break;
      case "cat":
        code = this.cmdCat(args, write, err);
        break;
      case "echo": {
        const noNewline = args[0] === "-n";
        write((noNewline ? args.slice(1) : args).join(" ") + (noNewline ? "" : "\n"));
        code = 0;
        break;
      }
      case "rm":
        code = this.cmdRm(args, err);
        break;
      case "pwd":
        write(this.m.cwd + "\n");
        code = 0;
        break;
      case "cd":
        if (args.length === 0 || args[0] === "~" || this.abs(args[0]) === this.m.cwd) code = 0;
        else {
          err(`cd: ${args[0]}: ${this.m.fs.exists(this.abs(args[0])) === "dir" ? "programs here always run in " + this.m.cwd : "No such file or directory"}\n`);
          code = 1;
        }
        break;
      case "clear":
        write("\x1b[H\x1b[2J\x1b[3J");
        code = 0;
        break;
      case "history":
        this.editor.history.forEach((h, i) => write(`${String(i + 1).padStart(5)}  ${h}\n`));
        code = 0;
        break;
      case "help":
        write(HELP);
        code = 0;
        break;
      case "true":
        code = 0;
        break;
      case "false":
        code = 1;
        break;
      default:
        err(`${name}: command not found\n`);
        return 127;
    }
    if (buffer) {
      const redirect = [...cmd.redirects].reverse().find((r) => r.fd === 1);
      if (redirect) {
        const r = this.writeFile(redirect, buffer);
        if (r !== null) {
          err(r);
          return 1;
        }
      } else this.print(buffer);
    }
    for (const r of cmd.redirects) if (r.fd === 2 || !buffer) this.writeFile(r, "", true);
    return code;
  }

  private python(cmd: SimpleCommand, name: string, args: string[]): Promise<number> | number {
    let i = 0;
    while (i < args.length && ["-u", "-B", "-E", "-s", "-S", "-I", "-q"].includes(args[i])) i++;
    const first = args[i];
    if (first === "--version" || first === "-V") {
      this.print(`Python ${this.pythonVersion}\n`);
      return 0;
    }
    if (first === "-h" || first === "--help") {
      this.print(`usage: ${name} [-c cmd | file] [arg] ...\n`);
      return 0;
    }
    if (first === undefined) {
      this.print(`${name}: the interactive interpreter is not available here; run a file: ${name} FILE.py\n`);
      return 2;
    }
    let entry: string;
    let argv: string[];
    let argv0: string | undefined;
    if (first === "-c") {
      if (args[i + 1] === undefined) {
        this.print(`Argument expected for the -c option\nusage: ${name} [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry \`${name} -h' for more information.\n`);
        return 2;
      }
      entry = `/tmp/python-c-${this.nextCode++}.py`;
      this.m.fs.writeFile(entry, enc.encode(args[i + 1] + "\n"));
      argv = args.slice(i + 2);
      argv0 = "-c";
    } else if (first.startsWith("-")) {
      this.print(`${name}: option ${first} is not available here\n`);
      return 2;
    } else {
      entry = this.abs(first);
      const kind = this.m.fs.exists(entry);
      if (kind !== "file") {
        this.print(`${name}: can't open file '${entry}': [Errno ${kind === "dir" ? "21] Is a directory" : "2] No such file or directory"}\n`);
        return 2;
      }
      argv = args.slice(i + 1);
    }
    for (const r of cmd.redirects) {
      const e = this.writeFile(r, "", !r.append ? false : true);
      if (e !== null) {
        this.print(e);
        return 1;
      }
    }
    let handle: { pid: number; exit: Promise<number> };
    try {
      handle = this.m.run({ files: {}, entry, argv, argv0 });
    } catch (e) {
      this.print(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    const job: Job = {
      id: cmd.background ? this.nextJob++ : 0,
      pid: handle.pid,
      text: cmd.text.replace(/\s*&$/, ""),
      cmd: [name, ...args].join(" "),
      background: cmd.background,
      running: true,
      exitCode: null,
      exit: handle.exit,
      redirects: cmd.redirects,
    };
    this.jobOfPid.set(job.pid, job);
    void handle.exit.then((code) => this.jobExited(job, code));
    if (cmd.background) {
      this.jobs.push(job);
      this.print(`[${job.id}] ${job.pid}\n`);
      return 0;
    }
    return this.waitForeground(job);
  }

  private async waitForeground(job: Job): Promise<number> {
    this.foreground = job;
    job.background = false;
    this.mode = "foreground";
    this.programInput.reset();
    const code = await job.exit;
    this.foreground = null;
    this.mode = "busy";
    if (this.partialLine) {
      this.out("\r\n");
      this.partialLine = false;
    }
    if (code === -9 || code === -15) this.print(`${jobState(false, code)}\n`);
    const i = this.jobs.indexOf(job);
    if (i >= 0) this.jobs.splice(i, 1);
    return code < 0 ? 128 - code : code;
  }

  private jobExited(job: Job, code: number): void {
    job.running = false;
    job.exitCode = code;
    if (!job.background || this.disposed) return;
    const notice = formatJob(job.id, this.mark(job), jobState(false, code), job.text);
    const i = this.jobs.indexOf(job);
    if (i >= 0) this.jobs.splice(i, 1);
    if (this.mode === "prompt") {
      this.out(`\r\x1b[K${notice}\r\n${this.editor.render()}`);
    } else {
      this.notices.push(notice);
    }
  }

  private interruptForeground(): void {
    const job = this.foreground;
    if (!job) return;
    // The terminal's SIGINT goes to the whole foreground process group: the program and its children.
    for (const p of this.m.processes()) {
      if (p.state !== "zombie" && this.jobOfPid.get(p.pid) === job) {
        try {
          this.m.signal(p.pid, Signal.SIGINT);
        } catch {
          // it ended meanwhile
        }
      }
    }
  }

  private mark(job: Job): string {
    const n = this.jobs.length;
    if (this.jobs[n - 1] === job) return "+";
    if (this.jobs[n - 2] === job) return "-";
    return " ";
  }

  private cmdJobs(write: (s: string) => void): number {
    for (const job of this.jobs) write(formatJob(job.id, this.mark(job), jobState(job.running, job.exitCode), job.text + (job.running ? " &" : "")) + "\n");
    return 0;
  }

  private findJob(spec: string | undefined): Job | null | undefined {
    if (spec === undefined || spec === "%" || spec === "%+" || spec === "%%") return this.jobs[this.jobs.length - 1] ?? null;
    if (spec === "%-") return this.jobs[this.jobs.length - 2] ?? null;
    const n = Number(spec.replace(/^%/, ""));
    if (!Number.isInteger(n)) return undefined;
    return this.jobs.find((j) => j.id === n) ?? null;
  }

  private cmdFg(args: string[]): Promise<number> | number {
    const job = this.findJob(args[0]);
    if (!job) {
      this.print(`fg: ${args[0] ?? "current"}: no such job\n`);
      return 1;
    }
    this.print(job.text + "\n");
    return this.waitForeground(job);
  }

  private cmdPs(write: (s: string) => void): number {
    const now = this.m.now();
    const rows = this.m
      .processes()
      .sort((a, b) => a.pid - b.pid)
      .map((p) => {
        const c = this.cpu.get(p.pid);
        const cpuMs = c ? c.total + (c.since !== null ? now - c.since : 0) : 0;
        return { pid: p.pid, ppid: p.ppid, stat: statLetter(p.state), cpuMs, cmd: this.cmdOf(p) };
      });
    write(formatPs(rows));
    return 0;
  }

  private cmdOf(p: ProcessInfo): string {
    if (p.pid === 1) return "init";
    if (p.state === "zombie") return "[python] <defunct>";
    const job = this.jobOfPid.get(p.pid);
    const base = job ? job.cmd : "python";
    return job && job.pid === p.pid ? base : `${base} (${p.name})`;
  }

  private cmdKill(args: string[], write: (s: string) => void, err: (s: string) => void): number {
    let sig: SignalNumber = Signal.SIGTERM;
    let k = 0;
    if (args[0] === "-l") {
      write(DELIVERED.map((n) => `${n}) ${signalName(n)}`).join("\t") + "\n");
      return 0;
    }
    if (args[0] === "-s" || args[0] === "-n") {
      const s = this.parseSignal(args[1] ?? "");
      if (s === null) {
        err(`kill: ${args[1] ?? ""}: invalid signal specification\n`);
        return 1;
      }
      sig = s;
      k = 2;
    } else if (args[0]?.startsWith("-") && args[0] !== "--") {
      const s = this.parseSignal(args[0].slice(1));
      if (s === null) {
        err(`kill: ${args[0].slice(1)}: invalid signal specification (signals here: INT, TERM, KILL)\n`);
        return 1;
      }
      sig = s;
      k = 1;
    } else if (args[0] === "--") k = 1;
    const targets = args.slice(k);
    if (targets.length === 0) {
      err("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
      return 2;
    }
    let code = 0;
    for (const t of targets) {
      let pid: number;
      if (t.startsWith("%")) {
        const job = this.findJob(t);
        if (!job) {
          err(`kill: ${t}: no such job\n`);
          code = 1;
          continue;
        }
        pid = job.pid;
      } else if (/^\d+$/.test(t)) {
        pid = Number(t);
      } else {
        err(`kill: ${t}: arguments must be process or job IDs\n`);
        code = 1;
        continue;
      }
      try {
        this.m.signal(pid, sig);
      } catch (e) {
        const errno = (e as { errno?: unknown }).errno;
        err(`kill: (${pid}) - ${errno === 1 ? "Operation not permitted" : "No such process"}\n`);
        code = 1;
      }
    }
    return code;
  }

  /** A signal the kernel delivers, by name (`TERM`, `SIGTERM`) or number; null otherwise. */
  private parseSignal(s: string): SignalNumber | null {
    const n = parseSignal(s);
    return n !== undefined && isSignal(n) ? n : null;
  }

  private cmdLs(args: string[], write: (s: string) => void, err: (s: string) => void): number {
    const all = args.includes("-a") || args.includes("-la") || args.includes("-al");
    const paths = args.filter((a) => !a.startsWith("-"));
    if (paths.length === 0) paths.push(".");
    let code = 0;
    const listings: string[] = [];
    for (const p of paths) {
      const abs = this.abs(p);
      const kind = this.m.fs.exists(abs);
      if (kind === null) {
        err(`ls: cannot access '${p}': No such file or directory\n`);
        code = 2;
        continue;
      }
      if (kind === "file") {
        listings.push(p);
        continue;
      }
      const prefix = abs === "/" ? "/" : abs + "/";
      const names = new Set<string>();
      for (const f of this.m.fs.list(abs)) {
        const rest = f.slice(prefix.length);
        const name = rest.split("/")[0];
        if (name && (all || !name.startsWith("."))) names.add(name);
      }
      const sorted = [...names].sort((a, b) => a.localeCompare(b));
      const body = sorted.join("  ");
      listings.push(paths.length > 1 ? `${p}:\n${body}` : body);
    }
    const text = listings.filter((l) => l !== "").join("\n");
    if (text) write(text + "\n");
    return code;
  }

  private cmdCat(args: string[], write: (s: string) => void, err: (s: string) => void): number {
    if (args.length === 0) {
      err("cat: reading standard input is not available here; name a file: cat FILE\n");
      return 1;
    }
    let code = 0;
    for (const a of args) {
      const abs = this.abs(a);
      const kind = this.m.fs.exists(abs);
      if (kind !== "file") {
        err(`cat: ${a}: ${kind === "dir" ? "Is a directory" : "No such file or directory"}\n`);
        code = 1;
        continue;
      }
      write(dec.decode(this.m.fs.readFile(abs)));
    }
    return code;
  }

  private cmdRm(args: string[], err: (s: string) => void): number {
    const force = args.some((a) => /^-[a-z]*f/.test(a));
    const files = args.filter((a) => !a.startsWith("-"));
    if (files.length === 0) {
      if (force) return 0;
      err("rm: missing operand\n");
      return 1;
    }
    let code = 0;
    for (const f of files) {
      const abs = this.abs(f);
      const kind = this.m.fs.exists(abs);
      if (kind === "file") this.m.fs.unlink(abs);
      else if (kind === "dir") {
        err(`rm: cannot remove '${f}': Is a directory\n`);
        code = 1;
      } else if (!force) {
        err(`rm: cannot remove '${f}': No such file or directory\n`);
        code = 1;
      }
    }
    return code;
  }

  // ─── output ──────────────────────────────────────────────────────────────

  private onOutput(pid: number, fd: 1 | 2, text: string): void {
    if (this.disposed) return;
    const job = this.jobOfPid.get(pid);
    const redirect = job ? [...job.redirects].reverse().find((r) => r.fd === fd) : undefined;
    if (redirect) {
      this.writeFile({ ...redirect, append: true }, text);
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
  }

  private abs(p: string): string {
    const full = p.startsWith("/") ? p : `${this.m.cwd}/${p}`;
    const parts: string[] = [];
    for (const part of full.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") parts.pop();
      else parts.push(part);
    }
    return "/" + parts.join("/");
  }

  /** Writes (or appends) to a file; returns an error message or null. `touch` only creates/truncates. */
  private writeFile(r: Redirect, text: string, touchOnly = false): string | null {
    const abs = this.abs(r.path);
    const kind = this.m.fs.exists(abs);
    if (kind === "dir") return `sh: ${r.path}: Is a directory\n`;
    const dir = abs.slice(0, abs.lastIndexOf("/")) || "/";
    if (this.m.fs.exists(dir) !== "dir") return `sh: ${r.path}: No such file or directory\n`;
    if (touchOnly && kind === "file" && r.append) return null;
    const old = r.append && kind === "file" ? this.m.fs.readFile(abs) : new Uint8Array(0);
    const add = enc.encode(text);
    const next = new Uint8Array(old.length + add.length);
    next.set(old);
    next.set(add, old.length);
    this.m.fs.writeFile(abs, next);
    return null;
  }
}

function crlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

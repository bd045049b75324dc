/** The shell's built-ins that run to the end at once (fg and bg wait on jobs: shell.ts). */
import type { MachinePort } from "@/lib/runtime/port";
import type { ShellFiles } from "./files";
import { HELP } from "./help";
import type { Job, JobTable } from "./jobs";
import { kill } from "./kill";
import type { ProcessView } from "./ps";

export interface BuiltinContext {
  readonly m: MachinePort;
  readonly files: ShellFiles;
  readonly jobs: JobTable;
  readonly view: ProcessView;
  readonly history: readonly string[];
  jobPids(job: Job): number[];
  /** Standard output (redirectable) and standard error. */
  write(s: string): void;
  err(s: string): void;
}

/** A built-in's status, or null when there is no such command. */
export function builtin(name: string, args: string[], c: BuiltinContext): number | null {
  const { write, err } = c;
  switch (name) {
    case "jobs":
      for (const job of c.jobs.all) write(c.jobs.line(job) + "\n");
      return 0;
    case "ps":
      return c.view.ps(write);
    case "pstree":
      return c.view.pstree(write);
    case "kill":
      return kill(args, {
        signal: (pid, sig) => c.m.signal(pid, sig),
        findJob: (spec) => c.jobs.find(spec),
        pidsOf: (job) => c.jobPids(job),
        write,
        err,
      });
    case "ls":
      return c.files.ls(args, write, err);
    case "cat":
      return c.files.cat(args, write, err);
    case "rm":
      return c.files.rm(args, err);
    case "cd":
      return c.files.cd(args, err);
    case "echo": {
      const noNewline = args[0] === "-n";
      write((noNewline ? args.slice(1) : args).join(" ") + (noNewline ? "" : "\n"));
      return 0;
    }
    case "pwd":
      write(c.m.cwd + "\n");
      return 0;
    case "clear":
      write("\x1b[H\x1b[2J\x1b[3J");
      return 0;
    case "history":
      c.history.forEach((h, i) => write(`${String(i + 1).padStart(5)}  ${h}\n`));
      return 0;
    case "help":
      write(HELP);
      return 0;
    case "true":
      return 0;
    case "false":
      return 1;
    default:
      return null;
  }
}

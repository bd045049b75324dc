/**
 * `npm run -s py -- FILE.py [ARGS...]`: run FILE.py on the Spawnpoint runtime under Node.
 * FILE and its folder (nearest files first, within limits: ./program-files.ts) are copied into
 * the machine's file system as the working directory;
 * stdout/stderr go to this terminal's; the exit code is the program's (128+N for signal N).
 * Ctrl-C sends SIGINT (KeyboardInterrupt); a second Ctrl-C within a second stops everything.
 * A deadlock (every process waits forever) is diagnosed on stderr; the program keeps
 * hanging, as under CPython, until Ctrl-C.
 * `--schedule=TOKEN` / `--controlled [--random] [--seed N]`: a controlled run (scripts/py-controlled.ts).
 * `--explore [--max-schedules N] [--time-limit S] [--timed] [--machines N]`: search for a failing schedule (scripts/explore.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { Errno, INIT_PID, formatDeadlock, strerror } from "@/lib/kernel";
import { createNodeMachine } from "@/lib/runtime/node";
import { ExploreUsageError, parseExploreFlags, runExploreCli } from "./explore";
import { collectProgramFiles, leftOutNote } from "./program-files";
import { parseControlledFlags, runControlledCli } from "./py-controlled";

async function main(): Promise<number> {
  let explore: ReturnType<typeof parseExploreFlags>;
  try {
    explore = parseExploreFlags(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof ExploreUsageError)) throw e;
    process.stderr.write(`spawnpoint: ${e.message}\n`);
    return 2;
  }
  const { flags: controlled, rest } = parseControlledFlags(explore.rest);
  const [file, ...argv] = rest;
  if (!file) {
    process.stderr.write("usage: npm run -s py -- [--schedule=TOKEN | --controlled [--random] [--seed N] | --explore [--max-schedules N] [--time-limit S] [--timed] [--machines N]] [--line-grain] FILE.py [ARGS...]\n");
    return 2;
  }
  // npm runs scripts from the package root; resolve FILE against where the user ran npm.
  const abs = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  if (!fs.existsSync(abs)) {
    process.stderr.write(`python3: can't open file '${abs}': [Errno ${Errno.ENOENT}] ${strerror(Errno.ENOENT)}\n`);
    return 2;
  }
  if (fs.statSync(abs).isDirectory()) {
    // python3 runs a folder's __main__.py; this CLI runs one file.
    if (fs.existsSync(path.join(abs, "__main__.py"))) process.stderr.write(`spawnpoint: running a folder is not supported: run ${path.join(abs, "__main__.py")}\n`);
    else process.stderr.write(`python3: can't find '__main__' module in '${abs}'\n`);
    return 1;
  }
  const machine = createNodeMachine();
  const collected = collectProgramFiles(abs);
  const program = { files: collected.files, entry: collected.entry, argv };
  // A failed run may have looked for a file that was left out: say so then (a run that went
  // well prints what python3 would, nothing more).
  const noteLeftOut = (code: number): number => {
    if (code !== 0 && (collected.leftOut > 0 || collected.stoppedEarly)) process.stderr.write(leftOutNote(path.dirname(abs), collected));
    return code;
  };
  // stdout is a pipe whose reader closed (`… | head`): Python's next write to it raises
  // BrokenPipeError, as in CPython, instead of Node ending this process with EPIPE's stack.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE" && !stdoutGone) throw e;
    stdoutGone = true;
    machine.closeStdout();
  });
  if (explore.flags) {
    // Each schedule's output stays in its record: only the failing one is shown.
    void machine.warm();
    const code = await runExploreCli(machine, program, explore.flags);
    machine.dispose();
    return noteLeftOut(code);
  }
  // Boot the pool next to the main program, not after it: the first child then finds a
  // booted interpreter instead of paying a whole boot on its start() (~0.8 s vs ~0.06 s).
  void machine.warm();
  machine.onOutput((c) => {
    if (c.fd === 2) process.stderr.write(c.data);
    else if (!stdoutGone) process.stdout.write(c.data);
  });
  machine.onEvent((ev) => {
    if (ev.type !== "deadlock") return;
    const [headline, ...rest] = formatDeadlock(ev.report);
    process.stderr.write(`${headline}\n${rest.map((l) => `  ${l}\n`).join("")}`);
  });

  process.stdin.on("data", (d: Buffer) => machine.writeStdin(d.toString("utf8")));
  process.stdin.on("end", () => machine.closeStdin());
  if (!process.stdin.isTTY) process.stdin.resume();
  else process.stdin.on("readable", () => undefined);

  let lastInterrupt = 0;
  process.on("SIGINT", () => {
    const now = Date.now();
    if (now - lastInterrupt < 1000) {
      machine.stopAll();
      return;
    }
    lastInterrupt = now;
    machine.interrupt();
  });

  if (controlled) {
    const code = await runControlledCli(machine, program, controlled);
    machine.dispose();
    return noteLeftOut(code);
  }
  // As python3 under the same environment: PYTHONUNBUFFERED leaves no line unwritten at an os._exit or a kill.
  const unbuffered = process.env.PYTHONUNBUFFERED;
  // A pipe or a file is no terminal: isatty() says so, and stdout is block-buffered, so the lines of a parent and its children come in python3's order.
  const piped = [process.stdin, process.stdout, process.stderr].flatMap((s, fd) => (s.isTTY ? [] : [fd]));
  const { exit } = machine.run({ ...program, ...(unbuffered ? { environ: { PYTHONUNBUFFERED: unbuffered } } : {}), piped });
  const code = await exit;
  await othersEnded(machine);
  machine.dispose();
  return noteLeftOut(code < 0 ? 128 - code : code);
}

/**
 * Processes that outlive the main one (orphans of a main that left with os._exit, a child's
 * children) go on running and printing under CPython, into the same terminal or pipe, whose
 * reader sees the end only when the last of them exits: so does this CLI (Ctrl-C stops them).
 * A stopped process does not hold it.
 */
async function othersEnded(machine: ReturnType<typeof createNodeMachine>): Promise<void> {
  const alive = () => machine.processes().some((p) => p.pid !== INIT_PID && p.state !== "zombie" && p.state !== "stopped");
  while (alive()) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** Standard output's reader went away (see main). */
let stdoutGone = false;

main().then(
  (code) => {
    // Let stdout/stderr drain before exiting (they may be pipes).
    const stderrThenExit = () => process.stderr.write("", () => process.exit(code));
    if (stdoutGone) stderrThenExit();
    else process.stdout.write("", stderrThenExit);
  },
  (e: unknown) => {
    process.stderr.write(`spawnpoint: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);

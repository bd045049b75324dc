/**
 * `npm run -s py -- FILE.py [ARGS...]`: run FILE.py on the Spawnpoint runtime under Node.
 * FILE's folder is copied into the machine's file system as the working directory;
 * stdout/stderr go to this terminal's; the exit code is the program's (128+N for signal N).
 * Ctrl-C sends SIGINT (KeyboardInterrupt); a second Ctrl-C within a second stops everything.
 * A deadlock (every process waits forever) is diagnosed on stderr; the program keeps
 * hanging, as under CPython, until Ctrl-C.
 * `--schedule=TOKEN` / `--controlled [--random] [--seed N]`: a controlled run (scripts/py-controlled.ts).
 * `--explore [--max-schedules N] [--time-limit S] [--timed] [--machines N]`: search for a failing schedule (scripts/explore.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { Errno, formatDeadlock, strerror } from "@/lib/kernel";
import { createNodeMachine } from "@/lib/runtime/node";
import { ExploreUsageError, parseExploreFlags, runExploreCli } from "./explore";
import { parseControlledFlags, runControlledCli } from "./py-controlled";

const SKIP = new Set(["node_modules", ".git", "__pycache__", ".venv"]);
const MAX_FILES = 500;
const MAX_BYTES = 16 << 20;

function collect(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  let count = 0;
  let bytes = 0;
  const walk = (d: string, rel: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      if (SKIP.has(ent.name)) continue;
      const full = path.join(d, ent.name);
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(full, r);
      else if (ent.isFile() && count < MAX_FILES) {
        const size = fs.statSync(full).size;
        if (bytes + size > MAX_BYTES) continue;
        files[r] = fs.readFileSync(full);
        count++;
        bytes += size;
      }
    }
  };
  walk(dir, "");
  return files;
}

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
  const machine = createNodeMachine();
  const program = { files: collect(path.dirname(abs)), entry: path.basename(abs), argv };
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
    return code;
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
    return code;
  }
  const { exit } = machine.run(program);
  const code = await exit;
  machine.dispose();
  return code < 0 ? 128 - code : code;
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

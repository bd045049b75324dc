/**
 * Signals as Linux has them, end to end on the Node host: tests/programs/signal_*.py print
 * what python3 (spawn) prints and end with the same exit code (−N for death by signal N).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Machine } from "./machine";
import { createNodeMachine } from "./node";

const PROGRAMS = path.join(__dirname, "..", "..", "tests", "programs");
const decoder = new TextDecoder();

interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

async function ours(machine: Machine, entry: string): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const off = machine.onOutput((c) => {
    if (c.fd === 1) stdout += decoder.decode(c.data);
    else stderr += decoder.decode(c.data);
  });
  try {
    const handle = machine.run({ files: { [entry]: fs.readFileSync(path.join(PROGRAMS, entry), "utf8") }, entry });
    const code = await handle.exit;
    return { stdout, stderr, code };
  } finally {
    off();
  }
}

function cpython(entry: string): Result | null {
  const r = spawnSync("python3", [entry], { cwd: PROGRAMS, encoding: "utf8", timeout: 60_000 });
  if (r.error) return null;
  const code = r.status ?? -(r.signal ? os.constants.signals[r.signal] : 0);
  return { stdout: r.stdout, stderr: r.stderr, code };
}

let machine: Machine;

beforeAll(async () => {
  machine = createNodeMachine({ poolSize: 2 });
  await machine.warm();
});

afterAll(() => machine.dispose());

describe("signals (Node host, compared with python3)", () => {
  it.each([
    ["signal_terminate.py", "terminate() runs a SIGTERM handler; its sys.exit(3) is the exit code and runs finally; no handler: −15, no finally", 0],
    ["signal_ignore.py", "SIG_IGN of SIGINT drops os.kill(pid, SIGINT); handlers are not inherited, SIG_IGN is", 0],
    ["signal_usr1.py", "SIGUSR1's handler runs inside sleep and a lock wait, which go on for the time left; no handler: −10", 0],
    ["signal_alarm.py", "alarm, setitimer/getitimer and pause; SIGALRM without a handler ends the process (−14)", -14],
    ["signal_rules.py", "SIGKILL/SIGSTOP cannot be caught, SIGCHLD ignored by default, sys.exit in a handler runs finally", 7],
    ["signal_stop.py", "a stopped child makes no progress until SIGCONT; SIGTERM waits for SIGCONT", 0],
  ] as const)("%s: %s", async (entry, _what, code) => {
    const r = await ours(machine, entry);
    const theirs = cpython(entry);
    expect(r.code, r.stderr).toBe(code);
    if (theirs) {
      expect(r.stdout).toBe(theirs.stdout);
      expect(r.code).toBe(theirs.code);
    }
  });
});

/**
 * Bench scripts (bench/<area>/*.py) print their result as one JSON line, last. These run one
 * with python3 and on a Node-host Machine, the two sides of every ratio in the table.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Machine } from "../lib/runtime";

export type Sample = Record<string, number>;

/** Every .py file of `dir`, keyed by name: the project folder a script runs in on our side. */
export function scriptFiles(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith(".py")).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

function lastJsonLine(out: string): Sample {
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Sample;
}

/** `python3 script args…` in `dir`; throws when it fails. */
export function cpythonJson(dir: string, script: string, args: string[]): Sample {
  const r = spawnSync("python3", [script, ...args], { cwd: dir, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`python3 ${script}: ${r.stderr}`);
  return lastJsonLine(r.stdout);
}

/** The same script on `machine`; `onLine` sees the newest stdout line as it arrives. */
export async function oursJson(machine: Machine, dir: string, script: string, args: string[], onLine?: (line: string) => void): Promise<Sample> {
  const decoder = new TextDecoder();
  let out = "";
  let err = "";
  const off = machine.onOutput((c) => {
    const text = decoder.decode(c.data);
    if (c.fd === 2) err += text;
    else {
      out += text;
      if (onLine && text.includes("\n")) onLine(out.trim().split("\n").at(-1) ?? "");
    }
  });
  try {
    const code = await machine.run({ files: scriptFiles(dir), entry: script, argv: args }).exit;
    if (code !== 0) throw new Error(`spawnpoint ${script} exited ${code}: ${err}`);
    return lastJsonLine(out);
  } finally {
    off();
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (each in its own process, so one
 * bench's workers and servers cannot skew the next) and prints one table of the rows they
 * report (see bench/report.ts): metric, ours, CPython measured in the same run, ratio, target.
 *
 *   npm run bench                 # all benches
 *   npm run bench -- runtime net  # only benches whose file name contains one of the words
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROW_PREFIX, type BenchRow } from "./report";

const here = __dirname;
const filters = process.argv.slice(2);

function runBench(file: string): Promise<BenchRow[]> {
  return new Promise((resolve) => {
    const rows: BenchRow[] = [];
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, file)], { cwd: path.join(here, ".."), stdio: ["ignore", "pipe", "inherit"] });
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith(ROW_PREFIX)) rows.push(JSON.parse(line.slice(ROW_PREFIX.length)) as BenchRow);
        else process.stdout.write(line + "\n");
      }
    });
    child.on("close", (code) => {
      if (code !== 0) rows.push({ metric: `${file} failed (exit ${code})`, ours: null, cpython: null, target: "", ok: false });
      resolve(rows);
    });
  });
}

const fmt = (n: number | null): string => (n === null ? "—" : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

async function main(): Promise<void> {
  const files = fs
    .readdirSync(here)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort();
  const rows: BenchRow[] = [];
  for (const f of files) {
    console.error(`── ${f}`);
    rows.push(...(await runBench(f)));
  }
  console.log("\n| metric | ours | CPython | ratio | target | met |");
  console.log("| --- | ---: | ---: | ---: | --- | :-: |");
  for (const r of rows) {
    const ratio = r.ours !== null && r.cpython ? `${(r.ours / r.cpython).toFixed(2)}×` : "—";
    const met = r.ok === null ? "" : r.ok ? "yes" : "NO";
    console.log(`| ${r.metric} | ${fmt(r.ours)} | ${fmt(r.cpython)} | ${ratio} | ${r.target} | ${met} |`);
  }
}

void main();

/**
 * Runs the core subset in one browser against the production build (the same one the
 * Playwright step serves): `tsx tests/browsers/run.ts <firefox|webkit|webkit-nosab> [--json FILE]`.
 *
 * One browser instance and one tab for the whole run; each case is run once (no retries:
 * a flaky case should show). Prints one line per case and a summary; `--json` writes
 * `{ passed, failed, seconds, cases }` for scripts/test.mjs.
 *
 * Env: E2E_PORT (the site, default 3110), NEXT_DIST_DIR (default .next), E2E_REUSE_SERVER=1
 * to use a server already running there, STATIC_DIR (a static export: where SharedArrayBuffer
 * exists, one more case serves it with a plain file server), FIREFOX_PATH, WEBKIT_DRIVER_PORT (default 4444 + E2E_PORT offset).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { serveStatic, type StaticServer } from "../static/serve";
import { openFirefox } from "./firefox";
import { CORE, NO_CONSOLE_ERRORS, STATIC_EXPORT, WITHOUT_SAB, type Case } from "./suite";
import type { Tab } from "./tab";
import { openWebKit } from "./webkit";

type Target = "firefox" | "webkit" | "webkit-nosab";
const target = process.argv[2] as Target;
if (!["firefox", "webkit", "webkit-nosab"].includes(target)) {
  console.error("usage: tsx tests/browsers/run.ts <firefox|webkit|webkit-nosab> [--json FILE] [--only SUBSTRING]");
  process.exit(2);
}
const arg = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const port = Number(process.env.E2E_PORT ?? 3110);
const base = `http://localhost:${port}`;

async function startServer(): Promise<ChildProcess | null> {
  if (process.env.E2E_REUSE_SERVER === "1") return null;
  // Its own process group: stopping it stops next-server too.
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], { detached: true, stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(base)).ok) return child;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`the site did not answer on ${base} within 60 s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function stop(child: ChildProcess | null) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

async function main() {
  const t0 = Date.now();
  const server = await startServer();
  // Even if this process dies early (a closed stdout pipe), the site does not outlive it.
  process.on("exit", () => stop(server));
  const results: { name: string; ok: boolean; seconds: number; error?: string }[] = [];
  let tab: Tab | undefined;
  let staticServer: StaticServer | undefined;
  try {
    tab =
      target === "firefox"
        ? await openFirefox()
        : await openWebKit({ sharedArrayBuffer: target === "webkit", port: Number(process.env.WEBKIT_DRIVER_PORT ?? port + 1334) });
    const only = arg("--only");
    const withStatic = Boolean(process.env.STATIC_DIR) && target !== "webkit-nosab";
    const cases: Case[] = [...(target === "webkit-nosab" ? WITHOUT_SAB : CORE), ...(withStatic ? [STATIC_EXPORT] : []), NO_CONSOLE_ERRORS].filter(
      (c) => !only || c.name.includes(only) || c === NO_CONSOLE_ERRORS,
    );
    for (const c of cases) {
      const started = Date.now();
      try {
        if (c === STATIC_EXPORT) staticServer ??= await serveStatic(path.resolve(process.env.STATIC_DIR!));
        await c.run(tab, c === STATIC_EXPORT ? staticServer!.url : base);
        results.push({ name: c.name, ok: true, seconds: (Date.now() - started) / 1000 });
      } catch (error) {
        results.push({ name: c.name, ok: false, seconds: (Date.now() - started) / 1000, error: error instanceof Error ? error.message : String(error) });
      }
      const r = results[results.length - 1];
      console.log(`  ${r.ok ? "✓" : "✘"} [${target}] ${r.name} (${r.seconds.toFixed(1)}s)${r.error ? `\n      ${r.error.split("\n").join("\n      ")}` : ""}`);
    }
  } catch (error) {
    results.push({ name: `${target} starts`, ok: false, seconds: 0, error: error instanceof Error ? error.message : String(error) });
    console.error(`  ✘ [${target}] could not start: ${results[results.length - 1].error}`);
  } finally {
    await tab?.close().catch(() => undefined);
    await staticServer?.close();
    stop(server);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const seconds = (Date.now() - t0) / 1000;
  console.log(`  ${target}: ${passed} passed, ${failed} failed (${seconds.toFixed(0)}s)`);
  const json = arg("--json");
  if (json) fs.writeFileSync(json, JSON.stringify({ passed, failed, seconds, cases: results }, null, 2));
  process.exit(failed === 0 ? 0 : 1);
}

void main();

/**
 * The production site for browser benchmarks: reuses a running server when given its URL,
 * otherwise builds `distDir` if it has no build yet and starts `next start` on a free port.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { writeBundle } from "../lib/runtime/bundle-python.mjs";
import { freePort } from "../lib/live/testing/redis-server";

const root = path.resolve(__dirname, "..");

export interface NextServerOptions {
  /** Build folder (NEXT_DIST_DIR). */
  distDir: string;
  /** A page that answers `probeStatus` once the server is up. */
  probePath: string;
  /** Default 200. */
  probeStatus?: number;
  /** The address to listen on. Default: every interface, reached as localhost. */
  host?: string;
  /** Added to the server's environment. */
  env?: Record<string, string>;
  /** URL of a server that is already running; nothing is built or started then. */
  reuseUrl?: string;
}

/** Builds `distDir` (with the dev pages benches use) unless it holds a build already. */
export function ensureNextBuild(distDir: string): void {
  if (existsSync(path.join(root, distDir, "BUILD_ID"))) return;
  console.error(`building into ${distDir} …`);
  writeBundle(); // what `npm run build`'s prebuild does
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_DIST_DIR: distDir, SPAWNPOINT_DEV_PAGES: "1" } });
  if (r.status !== 0) throw new Error("next build failed");
}

export async function startNextServer(options: NextServerOptions): Promise<{ base: string; child: ChildProcess | null }> {
  const { distDir, probePath, probeStatus = 200, host, env = {}, reuseUrl } = options;
  if (reuseUrl) return { base: reuseUrl, child: null };
  ensureNextBuild(distDir);
  const port = await freePort();
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), ...(host ? ["-H", host] : [])], {
    cwd: root,
    env: { ...process.env, NEXT_DIST_DIR: distDir, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log += d));
  child.stderr?.on("data", (d: Buffer) => (log += d));
  const base = `http://${host ?? "localhost"}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}${probePath}`)).status === probeStatus) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, child };
}

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
  /** A page that answers 200 once the server is up. */
  probePath: string;
  /** URL of a server that is already running; nothing is built or started then. */
  reuseUrl?: string;
}

export async function startNextServer({ distDir, probePath, reuseUrl }: NextServerOptions): Promise<{ base: string; child: ChildProcess | null }> {
  if (reuseUrl) return { base: reuseUrl, child: null };
  if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
    console.error(`building into ${distDir} …`);
    writeBundle(); // what `npm run build`'s prebuild does
    const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_DIST_DIR: distDir, SPAWNPOINT_DEV_PAGES: "1" } });
    if (r.status !== 0) throw new Error("next build failed");
  }
  const port = await freePort();
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, NEXT_DIST_DIR: distDir, NODE_ENV: "production" },
    stdio: "ignore",
  });
  const base = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}${probePath}`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, child };
}

/**
 * Starts a throwaway redis-server (Debian's package) on a free loopback port, for the Redis
 * integration tests, the e2e fan-out test and the benchmark. Not part of the runtime surface.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, connect } from "node:net";

const CANDIDATES = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];

function which(): string | null {
  for (const path of CANDIDATES) if (existsSync(path)) return path;
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

/**
 * Path to redis-server, installing Debian's package when missing and we are root (as scripts/test.mjs
 * does for Chromium). Returns null, with the reason, when that is impossible.
 */
export function ensureRedisServer(): { path: string } | { path: null; reason: string } {
  const existing = which();
  if (existing) return { path: existing };
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return { path: null, reason: "redis-server is not installed and we are not root on Debian to apt-get it" };
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = spawnSync("sh", ["-c", "apt-get install -y -qq redis-server || (apt-get update -qq && apt-get install -y -qq redis-server)"], { env, encoding: "utf8", timeout: 300_000 });
  const path = which();
  return path ? { path } : { path: null, reason: `apt-get install redis-server failed: ${install.stderr?.slice(-400) ?? install.error?.message}` };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisHandle {
  url: string;
  port: number;
  process: ChildProcess;
  dispose(): Promise<void>;
}

/** Spawns redis-server without persistence and waits until it accepts connections. */
export async function startRedisServer(path: string): Promise<RedisHandle> {
  const port = await freePort();
  const child = spawn(path, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    dispose: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Live-session fan-out benchmark: one session, N followers (SSE over loopback) on a production
 * server; how long from the instructor's slide change until the LAST follower has it, and the
 * server's memory. Also the same through Redis with two server instances (followers split
 * between them, instructor driving instance A), when redis-server is available.
 *
 *   npx tsx bench/live.bench.ts [--followers 300] [--changes 50] [--no-redis]
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-live), building it first if missing.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import { SseParser } from "../lib/live/sse";
import type { CreatedSession, LiveEvent } from "../lib/live/protocol";
import { ensureRedisServer, startRedisServer } from "../lib/live/testing/redis-server";
import { ensureNextBuild, startNextServer } from "./next-server";
import { report, runBench } from "./report";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const FOLLOWERS = flag("followers", 300);
const CHANGES = flag("changes", 50);
const distDir = process.env.NEXT_DIST_DIR || ".next-live";

interface Server {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const { base, child } = await startNextServer({
    distDir,
    // Answers 404 (no such session) once the server is up.
    probePath: "/api/live/sessions/AAAAAAA",
    probeStatus: 404,
    host: "127.0.0.1",
    // Every follower comes from 127.0.0.1: lift the per-address stream cap above the follower count.
    env: { SPAWNPOINT_LIVE_MAX_STREAMS_PER_ADDRESS: String(FOLLOWERS + 10), ...env },
  });
  if (!child) throw new Error("unreachable: no reuseUrl given");
  return {
    base,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Resident memory of a process and its children (KiB → MiB), from /proc. */
function rssMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

interface Follower {
  seq: number;
  res: IncomingMessage;
}

/** Opens one SSE follower; `onState` gets each state seq with its arrival time. */
function follow(base: string, code: string, onState: (seq: number, at: number) => void): Promise<Follower> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/live/sessions/${code}/events`, { agent: false, headers: { accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`follow: HTTP ${res.statusCode}`));
      const follower: Follower = { seq: -1, res };
      res.setEncoding("utf8");
      const parser = new SseParser((m) => {
        if (m.event !== "state") return;
        const event = JSON.parse(m.data) as LiveEvent;
        if (event.type === "state") {
          follower.seq = event.seq;
          onState(event.seq, performance.now());
        }
      });
      res.on("data", (chunk: string) => parser.feed(chunk));
      resolve(follower);
    });
    req.on("error", reject);
    req.end();
  });
}

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

interface Result {
  name: string;
  medianMs: number;
  p99Ms: number;
  firstMedianMs: number;
  rss: Array<{ label: string; idle: number; loaded: number; peak: number }>;
}

async function measure(name: string, servers: Server[]): Promise<Result> {
  const [driver] = servers;
  const idle = servers.map((s) => rssMiB(s.child.pid as number));
  const created = await post(`${driver.base}/api/live/sessions`, { lesson: { lang: "en", slug: "bench" } });
  if (created.status !== 201) throw new Error(`create: HTTP ${created.status} ${await created.text()}`);
  const session = (await created.json()) as CreatedSession;

  // arrivals[seq] = arrival times, one per follower
  const arrivals = new Map<number, number[]>();
  const followers: Follower[] = [];
  for (let i = 0; i < FOLLOWERS; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, FOLLOWERS - i) }, (_, j) =>
        follow(servers[(i + j) % servers.length].base, session.code, (seq, at) => {
          let list = arrivals.get(seq);
          if (!list) arrivals.set(seq, (list = []));
          list.push(at);
        }),
      ),
    );
    followers.push(...batch);
  }
  const waitAll = async (seq: number) => {
    const deadline = Date.now() + 30_000;
    while ((arrivals.get(seq)?.length ?? 0) < FOLLOWERS) {
      if (Date.now() > deadline) throw new Error(`only ${arrivals.get(seq)?.length ?? 0}/${FOLLOWERS} followers saw seq ${seq}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  await waitAll(0);

  const last: number[] = [];
  const first: number[] = [];
  for (let i = 1; i <= CHANGES; i++) {
    const t0 = performance.now();
    const r = await post(`${driver.base}/api/live/sessions/${session.code}/drive`, { type: "slide", slide: i }, session.token);
    if (!r.ok) throw new Error(`drive: HTTP ${r.status}`);
    const { seq } = (await r.json()) as { seq: number };
    await waitAll(seq);
    const times = arrivals.get(seq) as number[];
    last.push(Math.max(...times) - t0);
    first.push(Math.min(...times) - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  const loaded = servers.map((s) => rssMiB(s.child.pid as number));
  for (const f of followers) f.res.destroy();
  await fetch(`${driver.base}/api/live/sessions/${session.code}`, { method: "DELETE", headers: { authorization: `Bearer ${session.token}` } });
  last.sort((a, b) => a - b);
  first.sort((a, b) => a - b);
  return {
    name,
    medianMs: quantile(last, 0.5),
    p99Ms: quantile(last, 0.99),
    firstMedianMs: quantile(first, 0.5),
    rss: servers.map((_, i) => ({ label: servers.length > 1 ? `instance ${String.fromCharCode(65 + i)}` : "server", idle: idle[i].rss, loaded: loaded[i].rss, peak: loaded[i].peak })),
  };
}

async function main(): Promise<void> {
  ensureNextBuild(distDir);
  const results: Result[] = [];

  const single = await startServer();
  try {
    results.push(await measure("memory, 1 instance", [single]));
  } finally {
    await single.stop();
  }

  let redisNote = "";
  if (!args.includes("--no-redis")) {
    const found = ensureRedisServer();
    if (found.path === null) redisNote = `Redis rows skipped: ${found.reason}`;
    else {
      const redis = await startRedisServer(found.path);
      const servers: Server[] = [];
      try {
        servers.push(await startServer({ REDIS_URL: redis.url }), await startServer({ REDIS_URL: redis.url }));
        results.push(await measure("redis, 2 instances", servers));
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
        await redis.dispose();
      }
    }
  }

  const f = (n: number) => n.toFixed(1);
  console.log(`\nLive session fan-out: ${FOLLOWERS} SSE followers on loopback, ${CHANGES} slide changes (time from drive POST to the follower's event)\n`);
  console.log("| setup | last follower median (ms) | last follower p99 (ms) | first follower median (ms) | server RSS idle → with followers (MiB) | peak RSS (MiB) |");
  console.log("| --- | ---: | ---: | ---: | --- | ---: |");
  for (const r of results) {
    console.log(
      `| ${r.name} | ${f(r.medianMs)} | ${f(r.p99Ms)} | ${f(r.firstMedianMs)} | ${r.rss.map((m) => `${m.label}: ${f(m.idle)} → ${f(m.loaded)}`).join("; ")} | ${r.rss.map((m) => f(m.peak)).join(" / ")} |`,
    );
  }
  if (redisNote) console.log(`\n!!! ${redisNote}`);

  // Rows for `npm run bench` (bench/run.ts). No CPython counterpart: this is the class server.
  for (const r of results) {
    report({ metric: `live ${r.name}: slide change → last of ${FOLLOWERS} followers, median (ms)`, ours: r.medianMs, cpython: null, target: "< 100 ms", ok: r.medianMs < 100 });
    report({ metric: `live ${r.name}: slide change → last of ${FOLLOWERS} followers, p99 (ms)`, ours: r.p99Ms, cpython: null, target: "< 500 ms", ok: r.p99Ms < 500 });
    const peak = Math.max(...r.rss.map((m) => m.peak));
    report({ metric: `live ${r.name}: server peak RSS with ${FOLLOWERS} followers (MiB)`, ours: peak, cpython: null, target: "< 300 MiB per instance", ok: peak < 300 });
  }
}

runBench(main);

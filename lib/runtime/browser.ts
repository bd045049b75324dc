/**
 * Browser host: process workers are module Web Workers (Next bundles worker/browser-entry.ts
 * through `new URL(…, import.meta.url)`), Pyodide is loaded at runtime from `/pyodide/`.
 * The kernel runs on the thread that creates the Machine: it only routes messages and writes
 * replies into shared memory, so the page stays responsive. Shared memory needs cross-origin
 * isolation (COOP/COEP, set in next.config.ts) and a browser that offers SharedArrayBuffer;
 * elsewhere the Machine runs in relay mode (compatibility mode: lib/runtime/README.md), its
 * workers blocking through the site's service worker (./relay-browser.ts).
 */
import { isSharedBuffer } from "@/lib/kernel";
import { bytecodeKeyText, decodeBytecode, encodeBytecode, type Bytecode } from "./bytecode-cache";
import { Machine, type MachineOptions } from "./machine";
import { SNAPSHOT_DIGEST_KEY as DIGEST_KEY } from "./snapshot-digest";
import type { Platform, WorkerHandle } from "./platform";
import { SNAPSHOT_KEY, type HostToWorker } from "./protocol";
import { PYTHON_SOURCES } from "./python-bundle.generated";
import { snapshotKeyText } from "./snapshot-key";
import { ServiceWorkerHostSeam, relayChannel } from "./relay-browser";

export interface BrowserMachineOptions extends MachineOptions {
  /** Where pyodide.mjs is served. Default `/pyodide/`. */
  readonly indexURL?: string;
  /**
   * Where the page has no SharedArrayBuffer: the service worker container that controls it
   * (relayController()), through which the workers block. The Machine then runs in relay mode.
   */
  readonly relayVia?: ServiceWorkerContainer;
}

function createBrowserWorker(): WorkerHandle {
  const worker = new Worker(new URL("./worker/browser-entry.ts", import.meta.url), { type: "module", name: "spawnpoint-process" });
  return {
    post: (msg: HostToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(msg, transfer ?? []),
    onMessage: (h: (msg: unknown) => void) => worker.addEventListener("message", (e: MessageEvent<unknown>) => h(e.data)),
    onError: (h: (message: string) => void) => worker.addEventListener("error", (e: ErrorEvent) => h(e.message || "worker error")),
    terminate: () => worker.terminate(),
  };
}

/** Snapshot bytes survive within one page session (each Machine reuses the first one made). */
let sessionSnapshot: Uint8Array | null = null;

/**
 * Across page loads the snapshot lives in the Cache API, keyed on the Pyodide files' URL,
 * SNAPSHOT_KEY and a digest of the runtime it holds imported (./snapshot-key.ts): the first
 * visit pays one cold boot (~5 s), later ones boot from it (~0.5 s).
 */
const SNAPSHOT_CACHE = "spawnpoint-snapshot";

function snapshotKeyPrefix(indexURL: string): string {
  return new URL("pyodide.asm.wasm?snapshot=", new URL(indexURL, location.href)).href;
}

let runtimeDigest: Promise<string> | null = null;

async function snapshotKey(indexURL: string): Promise<string> {
  runtimeDigest ??= sha256(new TextEncoder().encode(snapshotKeyText(PYTHON_SOURCES)));
  return `${snapshotKeyPrefix(indexURL)}${SNAPSHOT_KEY}&runtime=${(await runtimeDigest).slice(0, 32)}`;
}

/**
 * The snapshot's SHA-256 is kept in the page's localStorage, which no worker can reach (and
 * the lockdown takes `caches` from workers too): a cached snapshot whose bytes do not match
 * it was not made by this page, and is deleted instead of restored into every process.
 */
async function sha256(bytes: Uint8Array): Promise<string> {
  // digest() takes no shared memory; other bytes are hashed where they are (no 30 MB copy).
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", isSharedBuffer(bytes.buffer) ? bytes.slice() : (bytes as Uint8Array<ArrayBuffer>)));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

function storedDigest(key: string): string | null {
  try {
    return localStorage.getItem(`${DIGEST_KEY}:${key}`);
  } catch {
    return null;
  }
}

async function loadCachedSnapshot(indexURL: string): Promise<Uint8Array | null> {
  if (sessionSnapshot) return sessionSnapshot;
  if (typeof caches === "undefined") return null;
  try {
    const key = await snapshotKey(indexURL);
    const cache = await caches.open(SNAPSHOT_CACHE);
    const hit = await cache.match(key);
    if (!hit) return null;
    const bytes = new Uint8Array(await hit.arrayBuffer());
    mark("snapshot read");
    const digest = await sha256(bytes);
    mark("snapshot digest");
    if (storedDigest(key) !== digest) {
      console.warn("spawnpoint: the cached Python snapshot does not match its digest; making a new one");
      await cache.delete(key);
      return null;
    }
    sessionSnapshot = bytes;
    return sessionSnapshot;
  } catch {
    return null;
  }
}

/**
 * The cached snapshot's length, beside its digest in localStorage: read at once, while the
 * Cache API is busy reading the 30 MB (in WebKit a second `match` waited that long).
 */
const lengthKey = (key: string) => `${DIGEST_KEY}:${key}#bytes`;

/** The length of the snapshot loadCachedSnapshot will read (null: none cached, or cached without it). */
async function cachedSnapshotLength(indexURL: string): Promise<number | null> {
  if (sessionSnapshot) return sessionSnapshot.byteLength;
  try {
    const length = Number(localStorage.getItem(lengthKey(await snapshotKey(indexURL))) ?? NaN);
    mark("snapshot length");
    return Number.isSafeInteger(length) && length > 0 ? length : null;
  } catch {
    return null;
  }
}

async function saveCachedSnapshot(indexURL: string, bytes: Uint8Array): Promise<void> {
  sessionSnapshot = bytes;
  if (typeof caches === "undefined") return;
  try {
    const key = await snapshotKey(indexURL);
    localStorage.setItem(`${DIGEST_KEY}:${key}`, await sha256(bytes));
    localStorage.setItem(lengthKey(key), String(bytes.byteLength));
    const cache = await caches.open(SNAPSHOT_CACHE);
    await cache.put(key, new Response(bytes.slice().buffer as ArrayBuffer, { headers: { "Content-Type": "application/octet-stream" } }));
    mark("snapshot saved");
    // Snapshots of an earlier runtime (~30 MB each) are never read again.
    const prefix = snapshotKeyPrefix(indexURL);
    for (const old of await cache.keys()) {
      if (!old.url.startsWith(prefix) || old.url === key) continue;
      await cache.delete(old);
      localStorage.removeItem(`${DIGEST_KEY}:${old.url}`);
      localStorage.removeItem(lengthKey(old.url));
    }
  } catch {
    // Quota or private mode: the session copy still works.
  }
}

/**
 * The runtime's bytecode (bytecode-cache.ts) in the same cache, keyed on the Pyodide files' URL
 * and a digest of the runtime's sources, its own digest in localStorage like the snapshot's.
 */
let sessionBytecode: Bytecode | null = null;

async function bytecodeKey(indexURL: string): Promise<string> {
  const sources = await sha256(new TextEncoder().encode(bytecodeKeyText(indexURL, PYTHON_SOURCES)));
  return new URL(`spawnpoint-runtime.pyc?sources=${sources.slice(0, 32)}`, new URL(indexURL, location.href)).href;
}

async function loadCachedBytecode(indexURL: string): Promise<Bytecode | null> {
  if (sessionBytecode) return sessionBytecode;
  if (typeof caches === "undefined") return null;
  try {
    const key = await bytecodeKey(indexURL);
    const cache = await caches.open(SNAPSHOT_CACHE);
    const hit = await cache.match(key);
    if (!hit) return null;
    const bytes = new Uint8Array(await hit.arrayBuffer());
    const pyc = storedDigest(key) === (await sha256(bytes)) ? decodeBytecode(bytes, PYTHON_SOURCES) : null;
    if (!pyc) await cache.delete(key);
    sessionBytecode = pyc;
    return pyc;
  } catch {
    return null;
  }
}

async function saveCachedBytecode(indexURL: string, pyc: Bytecode): Promise<void> {
  sessionBytecode = pyc;
  if (typeof caches === "undefined") return;
  try {
    const key = await bytecodeKey(indexURL);
    const bytes = encodeBytecode(pyc);
    localStorage.setItem(`${DIGEST_KEY}:${key}`, await sha256(bytes));
    const cache = await caches.open(SNAPSHOT_CACHE);
    await cache.put(key, new Response(bytes.buffer as ArrayBuffer, { headers: { "Content-Type": "application/octet-stream" } }));
  } catch {
    // Quota or private mode: the session copy still works.
  }
}

/** User Timing marks of boots and starts (Platform.mark), the first MAX_MARKS of the page. */
const MAX_MARKS = 400;
let marks = 0;

function mark(name: string, epochMs?: number): void {
  if (marks >= MAX_MARKS || typeof performance.mark !== "function") return;
  marks++;
  try {
    performance.mark(`spawnpoint ${name}`, epochMs === undefined ? undefined : { startTime: Math.max(0, epochMs - performance.timeOrigin) });
  } catch {
    // A browser without mark options: the mark is only for profiles.
  }
}

export function createBrowserMachine(options: BrowserMachineOptions = {}): Machine {
  const shared = typeof SharedArrayBuffer === "function" && globalThis.crossOriginIsolated;
  const container = options.relayVia;
  if (!shared && !container) {
    throw new Error("Spawnpoint needs a cross-origin isolated page (COOP/COEP headers) for SharedArrayBuffer, or the site's service worker to run without it.");
  }
  const indexURL = options.indexURL ?? "/pyodide/";
  const platform: Platform = {
    createWorker: createBrowserWorker,
    now: () => performance.now(),
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    indexURL,
    python: PYTHON_SOURCES,
    cpuCount: navigator.hardwareConcurrency || 1,
    loadSnapshot: () => loadCachedSnapshot(indexURL),
    snapshotLength: () => cachedSnapshotLength(indexURL),
    compileWasm: () => WebAssembly.compileStreaming(fetch(new URL("pyodide.asm.wasm", new URL(indexURL, location.href)))),
    loadStdlib: async () => {
      const res = await fetch(new URL("python_stdlib.zip", new URL(indexURL, location.href)));
      return res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
    },
    // In the background: the first boot needs the bytes, not their copy in the Cache API (a
    // ~30 MB write, hashed first, next to whatever else the origin is saving, such as the
    // static export's offline copy).
    saveSnapshot: async (bytes) => void saveCachedSnapshot(indexURL, bytes),
    loadBytecode: () => loadCachedBytecode(indexURL),
    saveBytecode: (pyc) => saveCachedBytecode(indexURL, pyc),
    mark,
    relayTransport: shared || !container ? undefined : { channel: relayChannel, hostSeam: (channel) => new ServiceWorkerHostSeam(container, channel) },
  };
  return new Machine(platform, options);
}

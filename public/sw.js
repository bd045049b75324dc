/*
 * The site's service worker. scripts/build-static.ts fills BUILD in for the static export;
 * `next start` serves this file with BUILD null, and a page registers it there only to run
 * Python without SharedArrayBuffer (the relay, below), since that server sends its own headers.
 *
 * Three jobs:
 * - The relay (both builds): where a page has no SharedArrayBuffer (a frame in a page that is
 *   not cross-origin isolated, a browser without it), a Python process's worker blocks in a
 *   synchronous request to RELAY_PATH, which waits here until the page posts its answer
 *   (lib/runtime/relay-browser.ts and worker/relay-xhr.ts). Only a worker this service worker
 *   controls can block that way: a page waits for control before it starts Python.
 * - Cross-origin isolation where the host cannot send headers: every same-origin response it
 *   hands the page gets COOP/COEP/CORP (and the site's CSP on everything but HTML, whose CSP
 *   is a meta tag), so the page gets SharedArrayBuffer after one reload.
 * - Offline: the build's pages, scripts and Pyodide are saved in one cache per build. A new
 *   build is saved whole, next to the old, before it takes over (install), and the old cache
 *   goes only once the new one serves (activate): a page never mixes two builds' files. A file
 *   whose hash in the build manifest is the one the old build saved it with is copied from the
 *   old cache instead of downloaded again.
 */
/* global self, caches, fetch, Response, Headers, URL */
"use strict";

/** @type {{version: string, precache: string[], hashes: Record<string, string>, csp: string} | null} */
const BUILD = null; /* SPAWNPOINT_BUILD */

/** Kept in step with RELAY_PATH in lib/runtime/relay-browser.ts. */
const RELAY_PATH = "/__spawnpoint/relay";
/**
 * A request held this long is answered 204, and the worker asks again: browsers stop a service
 * worker whose fetch event stays unanswered for minutes, and a process may wait that long (on
 * input(), a lock, a join).
 */
const RELAY_HOLD_MS = 20_000;
/** An answer nobody asked for within this time belongs to a worker that was ended: dropped. */
const RELAY_KEEP_MS = 60_000;
/** id → the held request's resolve. */
const relayHeld = new Map();
/** id → [answer bytes, time]: answers that arrived before their request. */
const relayEarly = new Map();

function relayResponse(body) {
  return new Response(body, { status: 200, headers: { "Content-Type": "application/octet-stream", "Cache-Control": "no-store", "Cross-Origin-Resource-Policy": "same-origin" } });
}

function relayRequest(id) {
  const early = relayEarly.get(id);
  if (early) {
    relayEarly.delete(id);
    return Promise.resolve(relayResponse(early[0]));
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (relayHeld.get(id) !== settle) return;
      relayHeld.delete(id);
      resolve(new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } }));
    }, RELAY_HOLD_MS);
    const settle = (body) => {
      clearTimeout(timer);
      resolve(relayResponse(body));
    };
    relayHeld.set(id, settle);
  });
}

function relayAnswer(id, body) {
  const settle = relayHeld.get(id);
  if (settle) {
    relayHeld.delete(id);
    settle(body);
    return;
  }
  const now = Date.now();
  for (const [key, [, at]] of relayEarly) if (now - at > RELAY_KEEP_MS) relayEarly.delete(key);
  relayEarly.set(id, [body, now]);
}

// Not "spawnpoint-" alone: the runtime keeps its memory snapshot in the "spawnpoint-snapshot" cache.
const PREFIX = "spawnpoint-build-";
const CACHE = BUILD ? `${PREFIX}${BUILD.version}` : `${PREFIX}dev`;
const PRECACHE = new Set(BUILD ? BUILD.precache : []);
/** Parallel downloads while saving a build: enough to fill the pipe, few enough for a school's Wi-Fi. */
const PARALLEL = 6;

const TYPES = { ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json" };

/** What a host may not send right: the isolation headers, and the types module workers and wasm streaming insist on. */
function isolated(response, url) {
  if (response.type === "opaque" || response.type === "opaqueredirect" || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  const ext = /\.[a-z0-9]+$/i.exec(url.pathname)?.[0]?.toLowerCase();
  if (ext && TYPES[ext]) headers.set("Content-Type", TYPES[ext]);
  const html = (headers.get("Content-Type") || "").includes("text/html");
  if (BUILD && !html) headers.set("Content-Security-Policy", BUILD.csp);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Cache keys: the path alone (Next's RSC payload requests carry a `?_rsc=` cache-buster). */
function keyOf(url) {
  return url.origin + url.pathname;
}

/** On a saved response: its file's hash in the build manifest, which a later build compares with its own. */
const HASH_HEADER = "X-Spawnpoint-Hash";

/** The build's hash of a saved URL (precache paths are absolute, so the pathname finds it). */
const hashOf = (url) => (BUILD && BUILD.hashes ? BUILD.hashes[new URL(url).pathname] : undefined) || null;

/** The same file, saved by an earlier build still cached (`older`): a deployment downloads only what changed. */
async function savedBefore(older, url, hash) {
  for (const cache of older) {
    const old = await cache.match(url);
    if (old && old.headers.get(HASH_HEADER) === hash) return old;
  }
  return null;
}

function withHash(response, hash) {
  if (!hash) return response;
  const headers = new Headers(response.headers);
  headers.set(HASH_HEADER, hash);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function saveAll(cache, urls, onProgress) {
  const queue = [...urls];
  let done = 0;
  const older = await Promise.all((await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.open(k)));
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      if (!(await cache.match(url))) {
        const hash = hashOf(url);
        const kept = hash && (await savedBefore(older, url, hash));
        const response = kept || (await fetch(url, { cache: "no-cache" }));
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        await cache.put(url, kept ? response : withHash(response, hash));
      }
      done++;
      onProgress?.(done, urls.length);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

/** The build's files, as absolute URLs. */
const precacheUrls = () => [...PRECACHE].map((p) => new URL(p, self.registration.scope).href);

async function missing() {
  const cache = await caches.open(CACHE);
  const urls = precacheUrls();
  const found = await Promise.all(urls.map((u) => cache.match(u)));
  return urls.filter((_, i) => !found[i]);
}

let saving = null;
/** Saves what this build still lacks, telling every page how far it got. */
function saveBuild() {
  saving ??= (async () => {
    const cache = await caches.open(CACHE);
    const todo = await missing();
    await saveAll(cache, todo, (done, total) => broadcast({ type: "offline-progress", done, total }));
    broadcast({ type: "offline-status", ready: true, version: BUILD?.version ?? null });
  })().finally(() => {
    saving = null;
  });
  return saving;
}

async function broadcast(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const others = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE);
      // An update is saved whole before it may take over; the first install takes over at once
      // (the page needs isolation now) and saves the build once it serves.
      if (others.length > 0 && BUILD) await saveAll(await caches.open(CACHE), precacheUrls());
      else await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "relay-answer" && typeof data.id === "string") relayAnswer(data.id, data.body);
  else if (data.type === "skip-waiting") event.waitUntil(self.skipWaiting());
  else if (data.type === "offline-save") event.waitUntil(saveBuild().catch((e) => broadcast({ type: "offline-status", ready: false, error: String(e) })));
  else if (data.type === "offline-status")
    event.waitUntil(
      missing().then((left) => event.source?.postMessage({ type: "offline-status", ready: BUILD !== null && left.length === 0, version: BUILD?.version ?? null })),
    );
});

async function respond(request) {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  const key = keyOf(url);
  const hit = await cache.match(key);
  if (hit) return isolated(hit, url);
  try {
    const response = await fetch(request);
    // Next's RSC payloads and lazily loaded chunks are saved as they are fetched.
    if (response.ok && request.method === "GET" && (url.pathname.startsWith("/_next/") || url.pathname.endsWith(".txt"))) await cache.put(key, response.clone());
    return isolated(response, url);
  } catch (error) {
    // Offline: a page asked for without its trailing slash is the saved folder page.
    if (request.mode === "navigate" && !url.pathname.endsWith("/") && (await cache.match(`${key}/`))) return Response.redirect(`${key}/${url.search}`, 302);
    if (request.mode === "navigate") {
      const notFound = await cache.match(new URL("/404.html", url).href);
      if (notFound) return isolated(new Response(notFound.body, { status: 404, headers: notFound.headers }), new URL("/404.html", url));
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === RELAY_PATH) {
    const id = url.searchParams.get("id");
    if (id) event.respondWith(relayRequest(id));
    return;
  }
  // The server build sends its own headers and has no offline cache: everything else goes to the network untouched.
  if (!BUILD) return;
  event.respondWith(respond(request));
});

/*
 * The static export's service worker (scripts/build-static.ts fills BUILD in; `next start`
 * serves this file with BUILD null and never registers it: that server sends its own headers).
 *
 * Two jobs:
 * - Cross-origin isolation where the host cannot send headers: every same-origin response it
 *   hands the page gets COOP/COEP/CORP (and the site's CSP on everything but HTML, whose CSP
 *   is a meta tag), so the page gets SharedArrayBuffer after one reload.
 * - Offline: the build's pages, scripts and Pyodide are saved in one cache per build. A new
 *   build is saved whole, next to the old, before it takes over (install), and the old cache
 *   goes only once the new one serves (activate): a page never mixes two builds' files.
 */
/* global self, caches, fetch, Response, Headers, URL */
"use strict";

/** @type {{version: string, precache: string[], csp: string} | null} */
const BUILD = null; /* SPAWNPOINT_BUILD */

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

async function saveAll(cache, urls, onProgress) {
  const queue = [...urls];
  let done = 0;
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      if (!(await cache.match(url))) {
        const response = await fetch(url, { cache: "no-cache" });
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        await cache.put(url, response);
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
  if (data.type === "skip-waiting") event.waitUntil(self.skipWaiting());
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
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(respond(request));
});

import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";

/**
 * Every response carries COOP/COEP: the Python runtime needs SharedArrayBuffer,
 * which browsers only grant to cross-origin isolated pages.
 */
const isolationHeaders = [
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
];

/**
 * The rest of the security headers, the same on every response. The Content-Security-Policy
 * differs per page (hashes of its inline scripts), so proxy.server.ts sets it.
 */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Only what the site uses, on our own pages: fullscreen (presentations) and clipboard writes (Copy buttons). The rest is off.
  {
    key: "Permissions-Policy",
    value: [
      "fullscreen=(self)",
      "clipboard-write=(self)",
      ...["accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb", "xr-spatial-tracking", "browsing-topics", "clipboard-read"].map((f) => `${f}=()`),
    ].join(", "),
  },
];

/**
 * `npm run build:static` (scripts/build-static.mjs) sets SPAWNPOINT_STATIC=1: `next build`
 * then exports the reading and running parts of the site to plain files any static host can
 * serve (`output: "export"`), and the parts that need the Node server are not routes at all.
 */
export const isStaticExport = (env: Readonly<Record<string, string | undefined>> = process.env): boolean => env.SPAWNPOINT_STATIC === "1";

/**
 * Route files are named by what they need.
 * - The fixture pages under app/dev (used by browser tests and benchmarks) are
 *   `page.dev.tsx` / `layout.dev.tsx`, so they are routes only where `dev.tsx` is a page
 *   extension: in `next dev`, and in builds made with SPAWNPOINT_DEV_PAGES=1 (npm test's
 *   build and the benches' builds set it). A production build for users has no /dev route at
 *   all: those URLs answer the site's 404.
 * - What needs the Node server (the live-session API, the join page, proxy.server.ts's
 *   per-request CSP) is `*.server.ts(x)`: a route in every build but the static export.
 */
export function pageExtensions(phase: string, env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const devPages = phase === PHASE_DEVELOPMENT_SERVER || env.SPAWNPOINT_DEV_PAGES === "1";
  const server = !isStaticExport(env);
  return [...(devPages ? ["dev.tsx"] : []), ...(server ? ["server.ts", "server.tsx"] : []), "ts", "tsx", "md", "mdx"];
}

const nextConfig = (phase: string): NextConfig => ({
  // Several builds may share one checkout (tests, benchmarks, developers): NEXT_DIST_DIR keeps them apart.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  pageExtensions: pageExtensions(phase),
  // Two root layouts (app/(home) and app/[lang]) leave no single layout for a 404:
  // app/global-not-found.tsx answers unmatched URLs.
  experimental: { globalNotFound: true },
  // npm test's second build (the static export) has the same sources as its first, whose
  // type check (with the route types of every page) has just passed: it sets
  // SPAWNPOINT_TYPECHECKED=1 so the same check does not run twice.
  typescript: { ignoreBuildErrors: process.env.SPAWNPOINT_TYPECHECKED === "1" },
  // A static export: each page is a folder's index.html, which every static file server finds.
  // NEXT_PUBLIC_SPAWNPOINT_STATIC tells the pages (their service-worker script, the live panel).
  ...(isStaticExport() ? { output: "export" as const, trailingSlash: true, env: { NEXT_PUBLIC_SPAWNPOINT_STATIC: "1" } } : { headers: async () => headers }),
});

/** The server's headers; a static export gets COOP/COEP from its service worker (public/sw.js) and its CSP from a meta tag. */
const headers = [
  { source: "/:path*", headers: [...isolationHeaders, ...securityHeaders] },
  // Pyodide's ES modules (self-hosted by scripts/copy-pyodide.mjs): the standard JS type.
  { source: "/pyodide/:file(.+\\.mjs)", headers: [{ key: "Content-Type", value: "text/javascript; charset=utf-8" }] },
];

export default nextConfig;

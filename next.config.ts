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
 * differs per page (hashes of its inline scripts), so proxy.ts sets it.
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
 * The fixture pages under app/dev (used by browser tests and benchmarks) are named
 * `page.dev.tsx` / `layout.dev.tsx`, so they are routes only where `dev.tsx` is a page
 * extension: in `next dev`, and in builds made with SPAWNPOINT_DEV_PAGES=1 (npm test's
 * build and the benches' builds set it). A production build for users has no /dev route
 * at all: those URLs answer the site's 404.
 */
export function pageExtensions(phase: string, env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const devPages = phase === PHASE_DEVELOPMENT_SERVER || env.SPAWNPOINT_DEV_PAGES === "1";
  return [...(devPages ? ["dev.tsx"] : []), "ts", "tsx", "md", "mdx"];
}

const nextConfig = (phase: string): NextConfig => ({
  // Several builds may share one checkout (tests, benchmarks, developers): NEXT_DIST_DIR keeps them apart.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  pageExtensions: pageExtensions(phase),
  // Two root layouts (app/(home) and app/[lang]) leave no single layout for a 404:
  // app/global-not-found.tsx answers unmatched URLs.
  experimental: { globalNotFound: true },
  async headers() {
    return [
      { source: "/:path*", headers: [...isolationHeaders, ...securityHeaders] },
      // Pyodide's ES modules (self-hosted by scripts/copy-pyodide.mjs): the standard JS type.
      { source: "/pyodide/:file(.+\\.mjs)", headers: [{ key: "Content-Type", value: "text/javascript; charset=utf-8" }] },
    ];
  },
});

export default nextConfig;

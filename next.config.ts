import type { NextConfig } from "next";

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

const nextConfig: NextConfig = {
  // Several builds may share one checkout (tests, benchmarks, developers): NEXT_DIST_DIR keeps them apart.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  pageExtensions: ["ts", "tsx", "md", "mdx"],
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
};

export default nextConfig;

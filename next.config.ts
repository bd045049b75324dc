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

const nextConfig: NextConfig = {
  // Several builds may share one checkout (tests, benchmarks, developers): NEXT_DIST_DIR keeps them apart.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  pageExtensions: ["ts", "tsx", "md", "mdx"],
  // Two root layouts (app/(home) and app/[lang]) leave no single layout for a 404:
  // app/global-not-found.tsx answers unmatched URLs.
  experimental: { globalNotFound: true },
  async headers() {
    return [
      { source: "/:path*", headers: isolationHeaders },
      // Pyodide's ES modules (self-hosted by scripts/copy-pyodide.mjs): the standard JS type.
      { source: "/pyodide/:file(.+\\.mjs)", headers: [{ key: "Content-Type", value: "text/javascript; charset=utf-8" }] },
    ];
  },
};

export default nextConfig;

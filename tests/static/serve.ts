/**
 * A plain static file server, as a school's web host would be: files by path, a folder's
 * index.html, a redirect from `/folder` to `/folder/`, a Content-Type by extension, and no
 * other headers (no COOP/COEP, no CSP). `transform` lets a test serve a changed file, as a
 * new deployment would.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain",
  ".webmanifest": "application/manifest+json",
  ".wasm": "application/wasm",
  // What many hosts (and Python's http.server before 3.12) send for an ES module: the service worker fixes it.
  ".mjs": "application/octet-stream",
};

export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function serveStatic(dir: string, opts: { port?: number; transform?: (urlPath: string, body: Buffer) => Buffer } = {}): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = path.join(dir, urlPath);
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!urlPath.endsWith("/")) return void res.writeHead(301, { Location: `${urlPath}/` }).end();
      file = path.join(file, "index.html");
    }
    if (!fs.existsSync(file)) {
      const notFound = path.join(dir, "404.html");
      res.writeHead(404, { "Content-Type": TYPES[".html"] });
      return void res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : "not found");
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Cache-Control": "no-cache" });
    res.end(opts.transform ? opts.transform(urlPath, body) : body);
  });
  return new Promise((resolve) => {
    server.listen(opts.port ?? 0, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://localhost:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * The inline-script hashes of each prerendered page, read from the build's own HTML
 * (`<distDir>/server/app/<path>.html`) the first time the page is asked for, then kept. Server-only.
 * A path with no prerendered page (an unknown URL, an API route, a file) gets the 404 page's and
 * the error page's hashes: those are the documents Next answers such a URL with.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { inlineScriptHashes } from "./csp";

const FALLBACK_PAGES = ["/_not-found", "/_global-error"];

export class PageHashes {
  private readonly files: Set<string>;
  private readonly cache = new Map<string, readonly string[]>();

  /** `appDir`: `<distDir>/server/app`. Missing (e.g. `next dev`) means no page hashes. */
  constructor(private readonly appDir: string) {
    this.files = new Set(existsSync(appDir) ? listHtml(appDir) : []);
  }

  /** Hashes for a request path (query and hash already stripped). */
  forPath(pathname: string): readonly string[] {
    const page = pathname === "/" ? "/index" : pathname.replace(/\/+$/, "");
    if (this.files.has(page)) return this.read(page);
    return FALLBACK_PAGES.flatMap((p) => (this.files.has(p) ? this.read(p) : []));
  }

  private read(page: string): readonly string[] {
    let hashes = this.cache.get(page);
    if (!hashes) {
      hashes = inlineScriptHashes(readFileSync(path.join(this.appDir, `${page}.html`), "utf8"));
      this.cache.set(page, hashes);
    }
    return hashes;
  }
}

/** Every prerendered page as a URL path ("/en/what-is-a-process"). Route groups like "(home)" are not in URLs. */
function listHtml(appDir: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string, url: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? url : `${url}/${entry.name}`);
      else if (entry.name.endsWith(".html")) pages.push(`${url}/${entry.name.slice(0, -5)}`);
    }
  };
  walk(appDir, "");
  return pages;
}

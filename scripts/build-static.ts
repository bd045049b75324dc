/**
 * `npm run build:static [-- --out DIR]`: the site as plain files for any static host (default
 * `out/`). `next build` with SPAWNPOINT_STATIC=1 exports the reading and running parts (no live
 * sessions: next.config.ts), then this script finishes what a server would otherwise do:
 * - each page gets its Content-Security-Policy as a meta tag (the hashes of its own inline
 *   scripts, as the server's proxy sends them in a header);
 * - the service worker (public/sw.js) gets this build's version, the files it saves for
 *   offline use, and the policy it puts on the scripts and workers it serves.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildManifest, fileHash, injectCsp } from "@/lib/web/static-export";

const root = path.resolve(__dirname, "..");

function outDir(argv: string[]): string {
  const i = argv.indexOf("--out");
  return path.resolve(root, i >= 0 && argv[i + 1] ? argv[i + 1] : "out");
}

function main(): void {
  const out = outDir(process.argv.slice(2));
  fs.rmSync(out, { recursive: true, force: true });
  const build = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, SPAWNPOINT_STATIC: "1", NEXT_DIST_DIR: path.relative(root, out) },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const files = listFiles(out);
  let pages = 0;
  for (const file of files.filter((f) => f.endsWith(".html"))) {
    const full = path.join(out, file);
    fs.writeFileSync(full, injectCsp(fs.readFileSync(full, "utf8"), file));
    pages++;
  }
  // Each file is read once: the version changes whenever any file's hash does.
  const hashes = new Map(files.map((f) => [f, fileHash(fs.readFileSync(path.join(out, f)))]));
  const digest = createHash("sha256");
  for (const [file, hash] of hashes) digest.update(file).update("\0").update(hash).update("\0");
  const manifest = buildManifest(files, digest.digest("hex").slice(0, 16), (f) => hashes.get(f)!);

  const swFile = path.join(out, "sw.js");
  const marker = "const BUILD = null; /* SPAWNPOINT_BUILD */";
  const sw = fs.readFileSync(swFile, "utf8");
  if (!sw.includes(marker)) throw new Error(`${swFile}: no "${marker}" line to fill in`);
  fs.writeFileSync(swFile, sw.replace(marker, `const BUILD = ${JSON.stringify(manifest)};`));
  const bytes = manifest.precache.reduce((n, url) => n + fs.statSync(path.join(out, url.endsWith("/") ? `${url}index.html` : url)).size, 0);
  console.log(`static export in ${path.relative(root, out) || "."}: ${pages} pages with a CSP meta tag; build ${manifest.version}, ${manifest.precache.length} files (${(bytes / 1e6).toFixed(1)} MB) saved for offline use`);
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  walk("");
  return files.sort();
}

main();

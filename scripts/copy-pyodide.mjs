#!/usr/bin/env node
// Self-hosts Pyodide: copies the pinned npm package's runtime files into public/pyodide/
// (gitignored) before `next dev` and `next build`. Skips files that are already identical,
// so repeated runs cost a few stat() calls.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "package.json"));

export const PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];

function sourceDir() {
  try {
    return path.dirname(require.resolve("pyodide/package.json"));
  } catch {
    throw new Error("pyodide is not installed: run `npm install` first");
  }
}

export function copyPyodide({ from = sourceDir(), to = path.join(root, "public", "pyodide"), log = console.log } = {}) {
  fs.mkdirSync(to, { recursive: true });
  let copied = 0;
  for (const name of PYODIDE_FILES) {
    const src = path.join(from, name);
    const dest = path.join(to, name);
    if (!fs.existsSync(src)) throw new Error(`pyodide package is missing ${name} (looked in ${from})`);
    const a = fs.statSync(src);
    const b = fs.existsSync(dest) ? fs.statSync(dest) : undefined;
    if (b && b.size === a.size && b.mtimeMs >= a.mtimeMs) continue;
    fs.copyFileSync(src, dest);
    copied += 1;
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(from, "package.json"), "utf8"));
  log(`copy-pyodide: pyodide ${version} → ${path.relative(root, to)}/ (${copied} copied, ${PYODIDE_FILES.length - copied} up to date)`);
  return { copied, version };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    copyPyodide();
  } catch (error) {
    console.error(`copy-pyodide: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

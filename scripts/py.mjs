/**
 * `npm run -s py -- FILE.py [ARGS...]` starts here: scripts/py.ts (the CLI) runs from one
 * esbuild bundle kept in the cache folder (`$SPAWNPOINT_CACHE_DIR`, else
 * node_modules/.cache/spawnpoint), not through tsx, whose start and per-run TypeScript loading
 * cost a run ~0.2–0.3 s before Python could begin. The bundle is rebuilt (~0.1 s) when any
 * file it was built from is newer than it, or gone; it is named after this checkout's folder,
 * so checkouts sharing a cache folder never run each other's CLI. Packages stay in
 * node_modules (imported by absolute path), and each bundled file's `import.meta.url` is its
 * own, so the runtime finds its worker entry, Python sources and cache as under tsx.
 * `node --import tsx scripts/py.ts` runs the same CLI from source.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = process.env.SPAWNPOINT_CACHE_DIR || path.join(root, "node_modules", ".cache", "spawnpoint");
const out = path.join(cacheDir, `cli-${createHash("sha256").update(root).digest("hex").slice(0, 12)}.mjs`);
const inputsFile = `${out}.inputs.json`;
const builtins = new Set(builtinModules);

function fresh() {
  try {
    const built = fs.statSync(out).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
    return inputs.every((f) => fs.statSync(f).mtimeMs <= built);
  } catch {
    return false; // no bundle yet, no input list, or an input is gone
  }
}

/** Packages are imported from node_modules by absolute path; the project's own files are bundled. */
const spawnpointCli = {
  name: "spawnpoint-cli",
  setup(build) {
    const require = createRequire(path.join(root, "package.json"));
    build.onResolve({ filter: /^[^./@]|^@[^/]+\/[^/]/ }, (args) => {
      if (args.path.startsWith("node:") || builtins.has(args.path.split("/")[0])) return { path: args.path, external: true };
      if (args.path.startsWith("@/")) return undefined; // tsconfig's alias for the project root
      try {
        return { path: pathToFileURL(require.resolve(args.path)).href, external: true };
      } catch {
        return undefined; // an ESM-only package without a require entry: bundled
      }
    });
    build.onLoad({ filter: /\.(ts|tsx|mjs|js)$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const src = await fs.promises.readFile(args.path, "utf8");
      if (!src.includes("import.meta.url")) return undefined;
      return {
        contents: src.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith(".tsx") ? "tsx" : args.path.endsWith(".ts") ? "ts" : "js",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

async function bundle() {
  const esbuild = await import("esbuild");
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const result = await esbuild.build({
    entryPoints: [path.join(root, "scripts", "py.ts")],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: tmp,
    metafile: true,
    logLevel: "silent",
    plugins: [spawnpointCli],
  });
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(root, f));
  fs.writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(inputs));
  fs.renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  fs.renameSync(tmp, out);
}

if (!fresh()) await bundle();
await import(pathToFileURL(out).href);

#!/usr/bin/env node
// `npm test`: every check the project has, in order, failing fast with the step's name:
// lint → typecheck → unit tests (vitest; with every lesson block, with shared memory and in relay mode) → Chromium present →
// production build and static export → browser tests
// (Chromium through Playwright, the static export, then the core subset in Firefox and WebKit).
// Ends with one summary line "N passed, N failed" (tests counted from the vitest and
// Playwright JSON reports and tests/browsers' JSON; a step without tests that fails counts as one failure).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = path.join(root, "test-results");
fs.mkdirSync(resultsDir, { recursive: true });
const vitestJson = path.join(resultsDir, "vitest.json");
const playwrightJson = path.join(resultsDir, "playwright.json");
const totals = { passed: 0, failed: 0 };
// What a step in the background writes goes here, not to test-results/, which each Playwright
// run empties when it starts.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-test-"));
process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
const started = Date.now();

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function summaryAndExit(code, failedStep) {
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (failedStep) console.error(`\nnpm test: FAILED at step "${failedStep}" after ${seconds}s`);
  else console.log(`\nnpm test: all steps passed in ${seconds}s`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code);
}

function step(name, fn) {
  console.log(`\n▶ ${name}`);
  const t0 = Date.now();
  let ok;
  try {
    ok = fn();
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    ok = false;
  }
  if (!ok) summaryAndExit(1, name);
  console.log(`✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

/**
 * Adds a step's test counts to the totals; a step whose counts could not be read counts as one
 * failure when it failed. Returns whether the step passed.
 */
function countTests(code, counts) {
  if (counts) {
    totals.passed += counts.passed ?? 0;
    totals.failed += counts.failed ?? 0;
  } else if (code !== 0) totals.failed += 1;
  return code === 0;
}

/** Runs a TypeScript check that writes its `{passed, failed}` to `json` (fresh each time). */
function runCountedScript(json, args, env = {}) {
  fs.rmSync(json, { force: true });
  const code = run(process.execPath, [bin("tsx", "dist/cli.mjs"), ...args], env);
  return countTests(code, readJson(json));
}

/**
 * Starts `command args` in the background, its output going to a log file. `join()` waits for it,
 * prints the log, and is the step `name`: `passed(code)` says whether it passed and counts its tests.
 */
function background(name, command, args, passed) {
  const log = path.join(fs.mkdtempSync(path.join(scratch, "log-")), "output.log");
  const out = fs.openSync(log, "w");
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  // A step that fails meanwhile ends npm test: this one must not outlive it.
  const stop = () => child.kill();
  process.on("exit", stop);
  console.log(`\n▶ ${name}: started in the background (log: ${log})`);
  const t0 = Date.now();
  const exited = new Promise((resolve) => {
    child.on("error", (error) => resolve({ code: 1, error }));
    child.on("exit", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0) }));
  });
  return {
    async join() {
      const { code, error } = await exited;
      process.off("exit", stop);
      process.stdout.write(fs.readFileSync(log, "utf8"));
      step(name, () => {
        if (error) throw error;
        console.log(`(ran in the background for ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
        return passed(code);
      });
    },
  };
}

function countStep(ok) {
  if (!ok) totals.failed += 1;
  return ok;
}

const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = () => spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
let aptUpdated = false;

/** Installs a Debian package with apt-get when running as root; otherwise explains how to get it. */
function aptInstall(pkg, why) {
  if (!isRoot || !hasApt()) {
    throw new Error(`${why}. Install Debian's ${pkg} (as root: apt-get update && apt-get install -y ${pkg}), then run npm test again.`);
  }
  console.log(`${why}: installing Debian's ${pkg} with apt-get…`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated && run("apt-get", ["update"], env) !== 0) throw new Error("apt-get update failed");
  aptUpdated = true;
  if (run("apt-get", ["install", "-y", pkg], env) !== 0) throw new Error(`apt-get install -y ${pkg} failed`);
}

function findChromium() {
  const candidate = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (fs.existsSync(candidate)) return candidate;
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${candidate} does not exist`);
  aptInstall("chromium", `no Chromium at ${candidate} (or point CHROMIUM_PATH at a Chromium/Chrome binary)`);
  if (!fs.existsSync("/usr/bin/chromium")) throw new Error("chromium installed but /usr/bin/chromium is missing");
  return "/usr/bin/chromium";
}

/** The Redis fan-out tests of instructor mode start a real redis-server (Debian's package). */
function ensureRedisServer() {
  if (spawnSync("sh", ["-c", "command -v redis-server"], { stdio: "ignore" }).status === 0) return;
  aptInstall("redis-server", "no redis-server on PATH (the live-session Redis tests need it)");
}

/** CPython 3.11's own multiprocessing tests (tests/cpython, bench/cpython-suite.bench.ts) come from Debian. */
function ensureCPythonTestsuite() {
  if (fs.existsSync("/usr/lib/python3.11/test/_test_multiprocessing.py")) return;
  aptInstall("libpython3.11-testsuite", "no CPython 3.11 test suite in /usr/lib/python3.11/test (the conformance run needs it)");
}

// tsc and eslint each keep one core busy: the type check runs beside the lint.
const typecheck = background("typecheck (npm run typecheck)", "npm", ["run", "-s", "typecheck"], (code) => countStep(code === 0));
step("lint (eslint . --max-warnings 0)", () => countStep(run(process.execPath, [bin("eslint", "bin/eslint.js"), ".", "--max-warnings", "0"]) === 0));
await typecheck.join();

step("services (redis-server for the Redis tests, CPython 3.11's test suite)", () => {
  ensureRedisServer();
  ensureCPythonTestsuite();
  return true;
});

step("unit tests (vitest run)", () => {
  fs.rmSync(vitestJson, { force: true });
  const code = run(process.execPath, [bin("vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile=${vitestJson}`]);
  const report = readJson(vitestJson);
  return countTests(code, report && { passed: report.numPassedTests, failed: report.numFailedTests });
});

let chromiumPath;
step("chromium (CHROMIUM_PATH or /usr/bin/chromium)", () => {
  chromiumPath = findChromium();
  console.log(`using ${chromiumPath}`);
  return true;
});

// The build the browser tests serve; its own dist dir so a developer's `.next` is left alone.
// SPAWNPOINT_DEV_PAGES=1 includes the /dev fixture pages the browser tests use (next.config.ts).
const distDir = process.env.NEXT_DIST_DIR || ".next-test";
step(`production build (next build → ${distDir})`, () => countStep(run("npm", ["run", "-s", "build"], { NEXT_DIST_DIR: distDir, SPAWNPOINT_DEV_PAGES: "1" }) === 0));

// The static export (npm run build:static), served by a plain file server that sends no headers.
const staticDir = ".next-static-test";
// The production build above has type-checked these sources, route types included.
step(`static export (npm run build:static → ${staticDir})`, () =>
  countStep(run("npm", ["run", "-s", "build:static", "--", "--out", staticDir], { SPAWNPOINT_TYPECHECKED: "1" }) === 0),
);

/** `playwright test` with `args`, its counts read from the JSON report it writes to `json` (flaky tests count as passed). */
function runPlaywright(json, args, env) {
  fs.rmSync(json, { force: true });
  const code = run(process.execPath, [bin("@playwright/test", "cli.js"), "test", ...args, "--reporter=list,json"], {
    CHROMIUM_PATH: chromiumPath,
    // One retry (a test that passes on it is reported as flaky) and traces of retries only.
    CI: "1",
    PLAYWRIGHT_JSON_OUTPUT_FILE: json,
    PLAYWRIGHT_JSON_OUTPUT_NAME: json,
    ...env,
  });
  const stats = readJson(json)?.stats;
  return countTests(code, stats && { passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: stats.unexpected });
}

step("browser tests (playwright test)", () => runPlaywright(playwrightJson, [], { NEXT_DIST_DIR: distDir }));

step("static export tests: isolation by the service worker, offline, updates (tests/static)", () =>
  runPlaywright(path.join(resultsDir, "static.json"), ["-c", "tests/static/playwright.config.ts"], { STATIC_DIR: staticDir }),
);

/** Debian's binary at `file`, installed from `pkg` with apt when missing (root only). */
function ensureBinary(file, pkg, why) {
  if (fs.existsSync(file)) return;
  aptInstall(pkg, `no ${file} (${why})`);
  if (!fs.existsSync(file)) throw new Error(`${pkg} installed but ${file} is missing`);
}

// Firefox and WebKit run the core subset (tests/browsers/suite.ts) against the same build.
// WebKitGTK's MiniBrowser has no headless mode: it runs under Xvfb (xvfb-run needs xauth).
const browserSteps = [
  ["firefox", "Firefox ESR through puppeteer-core", () => ensureBinary("/usr/bin/firefox-esr", "firefox-esr", "the Firefox tests")],
  ["webkit", "WebKit with JSC_useSharedArrayBuffer=1, as Safari", null],
  ["webkit-nosab", "WebKit without SharedArrayBuffer", null],
];
const ensureWebKit = () => {
  ensureBinary("/usr/bin/WebKitWebDriver", "webkit2gtk-driver", "the WebKit tests");
  ensureBinary("/usr/bin/xvfb-run", "xvfb", "WebKit's MiniBrowser needs an X server");
  ensureBinary("/usr/bin/xauth", "xauth", "xvfb-run needs it");
};
for (const [target, label, ensure] of browserSteps) {
  step(`browser tests: ${label} (tests/browsers)`, () => {
    (ensure ?? ensureWebKit)();
    const json = path.join(resultsDir, `browsers-${target}.json`);
    return runCountedScript(json, ["tests/browsers/run.ts", target, "--json", json], { NEXT_DIST_DIR: distDir, STATIC_DIR: staticDir });
  });
}

summaryAndExit(0);

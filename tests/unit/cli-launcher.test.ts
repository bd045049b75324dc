/**
 * scripts/py.mjs, what `npm run -s py` starts: it runs the CLI (scripts/py.ts) from a bundle in
 * the cache folder, and builds that bundle again when a file it was built from is newer, so a
 * run never uses code older than the checkout's.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-cli-"));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "spawnpoint-cli-prog-"));
afterAll(() => {
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function py(file: string, input: string, env: NodeJS.ProcessEnv = process.env, command = [process.execPath, "scripts/py.mjs"]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command[0], [...command.slice(1), file], { cwd: root, timeout: 180_000, env: { ...env, SPAWNPOINT_CACHE_DIR: cacheDir } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/** Runs `command`, reads its stdout until it has `lines` lines, then closes the pipe, as `… | head -n lines` does. */
function head(command: string, args: string[], lines: number, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Through a shell's pipe into head(1), as a reader types it: Node's own stdio pipes are
    // socket pairs, where a writer whose reader left with data unread can get ECONNRESET.
    const script = `"$0" "$@" | head -n ${lines}; exit "\${PIPESTATUS[0]}"`;
    const child = spawn("bash", ["-c", script, command, ...args], { cwd: root, env: { ...env, SPAWNPOINT_CACHE_DIR: cacheDir }, stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout: stdout.split("\n").slice(0, lines).join("\n"), stderr }));
  });
}

const bundle = (): string => {
  const [name] = fs.readdirSync(cacheDir).filter((f) => /^cli-[0-9a-f]{12}\.mjs$/.test(f));
  return path.join(cacheDir, name);
};

describe("scripts/py.mjs", () => {
  it("should run a program with its stdin and exit code, and bundle the CLI again once a source is newer than the bundle", async () => {
    const file = path.join(work, "prog.py");
    fs.writeFileSync(file, "import sys\nimport multiprocessing as mp\nif __name__ == '__main__':\n    p = mp.Process(target=print, args=('child of', input()))\n    p.start(); p.join()\n    sys.exit(3)\n");
    expect(await py(file, "bob\n")).toEqual({ code: 3, stdout: "child of bob\n", stderr: "" });
    const built = bundle();
    // The bundle predates its sources now, as after an edit of the runtime.
    const past = new Date(Date.now() - 3600_000);
    fs.utimesSync(built, past, past);
    const stale = fs.statSync(built).mtimeMs;
    expect(await py(file, "ann\n")).toEqual({ code: 3, stdout: "child of ann\n", stderr: "" });
    expect(fs.statSync(bundle()).mtimeMs).toBeGreaterThan(stale);
    // Fresh: the next run keeps it.
    const kept = fs.statSync(bundle()).mtimeMs;
    expect(await py(file, "eve\n")).toEqual({ code: 3, stdout: "child of eve\n", stderr: "" });
    expect(fs.statSync(bundle()).mtimeMs).toBe(kept);
  }, 300_000);

  it("should raise BrokenPipeError in the program when stdout's reader goes away, as CPython does, not end with Node's EPIPE", async () => {
    const file = path.join(work, "forever.py");
    fs.writeFileSync(file, "i = 0\nwhile True:\n    print(i)\n    i += 1\n");
    const [ours, cpython] = await Promise.all([head(process.execPath, ["scripts/py.mjs", file], 2), head("python3", [file], 2)]);
    expect(cpython.code).toBe(1);
    expect(cpython.stderr.trim().split("\n").at(-1)).toBe("BrokenPipeError: [Errno 32] Broken pipe");
    expect(ours.stdout).toBe("0\n1");
    expect(ours.code).toBe(cpython.code);
    expect(ours.stderr.split("\n")[0]).toBe("Traceback (most recent call last):");
    expect(ours.stderr.trim().split("\n").at(-1)).toBe(cpython.stderr.trim().split("\n").at(-1));
    expect(ours.stderr).not.toContain("node:");
  }, 300_000);
  it("should end with status 120 when the last flush of a buffered stdout finds its reader gone, as CPython's finalization does", async () => {
    const file = path.join(work, "late.py");
    // 'second' goes out after head left (python3 raises there; here the worker learns of it just
    // after, as its output reaches the CLI), 'third' stays in the buffer until the exit's flush.
    fs.writeFileSync(file, "import time\nprint('first', flush=True)\ntime.sleep(1.5)\ntry:\n    print('second', flush=True)\nexcept BrokenPipeError:\n    pass\ntime.sleep(0.5)\nprint('third')\n");
    const env = { ...process.env };
    delete env.PYTHONUNBUFFERED;
    const [ours, cpython] = await Promise.all([head(process.execPath, ["scripts/py.mjs", file], 1, env), head("python3", [file], 1, env)]);
    expect(cpython.code).toBe(120);
    expect(cpython.stderr.trim().split("\n").at(-1)).toBe("BrokenPipeError: [Errno 32] Broken pipe");
    expect(ours).toEqual({ code: 120, stdout: "first", stderr: "Exception ignored while flushing sys.stdout:\nBrokenPipeError: [Errno 32] Broken pipe\n" });
  }, 300_000);
  it("should run a script saved in a folder with more files than it copies, and say so when a left-out file is missing", async () => {
    const crowded = path.join(work, "crowded");
    fs.mkdirSync(crowded);
    for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(crowded, `f${String(i).padStart(3, "0")}.txt`), `file ${i}`);
    fs.writeFileSync(path.join(crowded, "zzz.txt"), "the last one");
    const file = path.join(crowded, "prog.py");
    fs.writeFileSync(file, "print(open('f000.txt').read())\nprint(open('zzz.txt').read())\n");
    const r = await py(file, "");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("file 0\n");
    expect(r.stderr).toContain("FileNotFoundError: [Errno 2] No such file or directory: 'zzz.txt'");
    expect(r.stderr).toContain(`spawnpoint: note: ${crowded} holds more files than what is copied`);
  });
  it("should wait for processes that outlive the main one and show their output, with the main process's exit code", async () => {
    const dir = path.join(work, "orphan");
    fs.mkdirSync(dir);
    const file = path.join(dir, "prog.py");
    fs.writeFileSync(
      file,
      "import multiprocessing as mp, os, time\ndef late():\n    time.sleep(0.5)\n    print('orphan, parent', os.getppid(), flush=True)\nif __name__ == '__main__':\n    mp.Process(target=late).start()\n    print('main leaves', flush=True)\n    os._exit(3)\n",
    );
    expect(await py(file, "")).toEqual({ code: 3, stdout: "main leaves\norphan, parent 1\n", stderr: "" });
  });
  it("should make a piped stdout block-buffered and no terminal, as python3 does: a parent's and its children's lines come in python3's order", async () => {
    const file = path.join(work, "piped.py");
    fs.writeFileSync(
      file,
      [
        "import multiprocessing as mp, os, sys",
        "def f(i):",
        "    print('child', i, sys.stdout.isatty())",
        "if __name__ == '__main__':",
        "    p = mp.Process(target=f, args=(0,)); p.start(); print('started 0'); p.join()",
        "    print('joined 0', sys.stdout.isatty(), sys.stdin.isatty(), os.isatty(1), sys.stdout.line_buffering, sys.stderr.line_buffering)",
        "    p = mp.Process(target=f, args=(1,)); p.start(); p.join()",
        "    print('got', input())",
        "    import subprocess",
        "    subprocess.run([sys.executable, '-c', 'print(\"from a subprocess\")'])",
        "    print('end')",
      ].join("\n"),
    );
    const env = { ...process.env };
    delete env.PYTHONUNBUFFERED;
    const [ours, cpython] = await Promise.all([py(file, "x\n", env), py(file, "x\n", env, ["python3"])]);
    // python3 3.11's sys.stdin.isatty() on a pipe is False, as ours.
    // subprocess, unlike start(), leaves the parent's buffer as it is: its line comes first.
    expect(cpython.stdout).toBe("child 0 False\nstarted 0\njoined 0 False False False False True\nchild 1 False\nfrom a subprocess\ngot x\nend\n");
    expect(ours).toEqual(cpython);
  });

  it("should write through under PYTHONUNBUFFERED, as python3 does: a line left unfinished before os._exit or a kill is out", async () => {
    const file = path.join(work, "unbuffered.py");
    fs.writeFileSync(
      file,
      [
        "import multiprocessing as mp, os, sys, time",
        "def ends():",
        "    sys.stdout.write('partial ')",
        "    print('line', end=' ')",
        "    os._exit(4)",
        "def killed():",
        "    print('working...', end='')",
        "    time.sleep(30)",
        "if __name__ == '__main__':",
        "    mp.set_start_method('spawn')",
        "    p = mp.Process(target=ends); p.start(); p.join(); print('| exit', p.exitcode)",
        "    p = mp.Process(target=killed); p.start(); time.sleep(1.5); p.terminate(); p.join(); print('| killed', p.exitcode)",
        "    print(sys.stdout.write_through, sys.stderr.write_through, os.environ['PYTHONUNBUFFERED'])",
        "    print(os.path.isdir(os.environ['HOME']) and os.path.expanduser('~') == os.environ['HOME'])",
        "    sys.stdout.write('no newline at the end')",
        "    os._exit(0)",
      ].join("\n"),
    );
    const env = { ...process.env, PYTHONUNBUFFERED: "1" };
    const [ours, cpython] = await Promise.all([py(file, "", env), py(file, "", env, ["python3"])]);
    expect(cpython.stdout).toBe("partial line | exit 4\nworking...| killed -15\nTrue True 1\nTrue\nno newline at the end");
    expect(ours).toEqual(cpython);
  });
});

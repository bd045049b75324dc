/**
 * Network programs through the CLI (`npm run -s py -- FILE`, i.e. scripts/py.mjs: scripts/py.ts bundled):
 * an echo server with a process per client and several clients at once, a socket passed to
 * a child, timeouts, EOF, resets and CPython's errors; and 1000 connections that leave
 * nothing behind, checked on a Machine through the kernel's event stream.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { KernelEvent } from "@/lib/kernel";
import { createNodeMachine } from "@/lib/runtime/node";

const root = path.resolve(__dirname, "../..");
const dir = path.join(root, "tests/programs/net");

function py(file: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Output written through (PYTHONUNBUFFERED, as this machine exports it): into a pipe, stdout is block-buffered otherwise, and these programs' lines would come in another order.
    const env = { ...process.env, PYTHONUNBUFFERED: "1" };
    execFile(process.execPath, ["scripts/py.mjs", path.join(dir, file), ...args], { cwd: root, timeout: 180_000, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("network programs (npm run -s py)", () => {
  it("should run an echo server that starts a process per client, with several clients at once", async () => {
    const r = await py("echo_server.py", ["3"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "client0 -> CLIENT0 MESSAGE 0 | CLIENT0 MESSAGE 1 | CLIENT0 MESSAGE 2",
        "client1 -> CLIENT1 MESSAGE 0 | CLIENT1 MESSAGE 1 | CLIENT1 MESSAGE 2",
        "client2 -> CLIENT2 MESSAGE 0 | CLIENT2 MESSAGE 1 | CLIENT2 MESSAGE 2",
        "server exit code 0",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("should move 3 MB each way intact with send, sendall, recv and recv_into of many sizes", async () => {
    const r = await py("bulk_integrity.py");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      ["child received 3000000 bytes, digest ok: True", "parent received 3000000 bytes, digest ok: True", "exit code 0", ""].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("should keep a socket passed to a child open until both processes closed it", async () => {
    const r = await py("pass_socket.py");
    expect(r.stdout).toBe(
      ["b'hello from the child\\n'", "still open after the parent closed its copy", "b'bye\\n'", "EOF: b''", "child exit code 0", ""].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("should time out, not block when non-blocking, and select/selectors should see readiness", async () => {
    const r = await py("timeouts.py");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "gettimeout 0.1",
        "accept: TimeoutError timed out True",
        "client timeout 1.5",
        "recv: timed out after its 0.2 s: True",
        "non-blocking recv: 11 Resource temporarily unavailable",
        "select before data: readable 0 writable 1",
        "select after data: readable True b'ping'",
        "connect_ex to a closed port: 111",
        "selector with nothing pending: []",
        "selector sees: ['listener']",
        "",
      ].join("\n"),
    );
  });

  it("should answer a non-blocking connect as Linux does (EINPROGRESS, then 0 once or the refusal), as python3 does", async () => {
    const file = path.join(dir, "nonblocking_connect.py");
    const cpython = await new Promise<string>((resolve, reject) =>
      execFile("python3", [file], { timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    const r = await py("nonblocking_connect.py");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(cpython);
    expect(cpython).toContain("closed port: 115");
  });

  it("should let select, poll and a selector wait on piped stdin next to a socket, as python3 does", async () => {
    const file = path.join(dir, "select_stdin.py");
    const input = "one\ntwo\nthree\n";
    const run = (cmd: string, args: string[], cwd?: string) =>
      new Promise<{ stdout: string; stderr: string }>((resolve) => {
        const child = execFile(cmd, args, { cwd, timeout: 120_000 }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
        child.stdin?.end(input);
      });
    const cpython = await run("python3", [file]);
    const ours = await run(process.execPath, ["scripts/py.mjs", file], root);
    expect(ours.stderr).toBe("");
    expect(ours.stdout).toBe(cpython.stdout);
    expect(ours.stdout).toContain("poll: [(0, 17)]");
  });

  it("should raise CPython's errors: EADDRINUSE, OverflowError, refused, no outside network, EOF, EPIPE, reset", async () => {
    const r = await py("errors.py");
    const lines = r.stdout.split("\n");
    expect(lines).toContain("bind a port in use -> OSError: [Errno 98] Address already in use");
    expect(lines).toContain("port out of range -> OverflowError: bind(): port must be 0-65535.");
    expect(lines).toContain("connect refused -> ConnectionRefusedError: [Errno 111] Connection refused");
    expect(r.stdout).toMatch(/outside address -> OSError: \[Errno 101\] Network is unreachable: this page has no outside network/);
    expect(r.stdout).toMatch(/outside name -> gaierror: \[Errno -2\] Name or service not known: 'example.com' \(this page has no outside network/);
    expect(lines).toContain("use after close -> OSError: [Errno 9] Bad file descriptor");
    expect(lines).toContain("recv b'last words' b''");
    expect(lines).toContain("send after the peer closed (1st) -> 1");
    expect(lines).toContain("send after the peer closed (2nd) -> BrokenPipeError: [Errno 32] Broken pipe");
    expect(lines).toContain("recv after a reset -> ConnectionResetError: [Errno 104] Connection reset by peer");
    expect(lines).toContain("recv again -> b''");
    expect(lines).toContain("errno names 111 98 EADDRINUSE");
    expect(r.stdout).toMatch(/ThreadingTCPServer -> RuntimeError: ThreadingTCPServer needs threads, which a web page does not have/);
    expect(r.code).toBe(0);
  });

  it("should match CPython for UDP, makefile, a socket sent through a Queue and a peer killed with SIGKILL", async () => {
    const r = await py("udp_files_queues.py");
    expect(r.stdout).toBe(
      [
        "udp b'one' b'two' True",
        "makefile 'line 1\\n' 'line 2\\n'",
        "queue b'sent by the process that got me from a queue'",
        "EOF once both closed it: b''",
        "victim says b'about to be killed'",
        "after SIGKILL: b'' exitcode -9",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("should serve HTTP with http.server to http.client in another process", async () => {
    const r = await py("http_server.py");
    expect(r.stdout).toBe("200 b'hello from /lesson'\n");
    expect(r.code).toBe(0);
  });

  it("should let Ctrl-C (SIGINT) interrupt accept() and recv() with KeyboardInterrupt", async () => {
    const machine = createNodeMachine({ poolSize: 1 });
    try {
      let out = "";
      machine.onOutput((c) => (out += new TextDecoder().decode(c.data)));
      const waitFor = async (text: string) => {
        const deadline = Date.now() + 60_000;
        while (!out.includes(text)) {
          if (Date.now() > deadline) throw new Error(`no "${text}" in: ${out}`);
          await new Promise((res) => setTimeout(res, 20));
        }
      };
      const src = fs.readFileSync(path.join(dir, "interrupt.py"), "utf8");
      const run = machine.run({ files: { "interrupt.py": src }, entry: "interrupt.py" });
      await waitFor("waiting in accept\n");
      await new Promise((res) => setTimeout(res, 100));
      machine.interrupt();
      await waitFor("waiting in recv\n");
      await new Promise((res) => setTimeout(res, 100));
      machine.interrupt();
      expect(await run.exit).toBe(0);
      expect(out).toBe("waiting in accept\ninterrupted in accept\nwaiting in recv\ninterrupted in recv\nstill works: True\n");
    } finally {
      machine.dispose();
    }
  }, 120_000);

  it("should leave nothing behind after 1000 connections are opened and closed", async () => {
    const machine = createNodeMachine({ poolSize: 1 });
    try {
      const last = new Map<number, string>();
      machine.onEvent((e: KernelEvent) => {
        if (e.type === "net.state") last.set(e.sock, e.state);
      });
      let out = "";
      machine.onOutput((c) => (out += new TextDecoder().decode(c.data)));
      const src = fs.readFileSync(path.join(dir, "thousand.py"), "utf8");
      const heapBefore = machine.kernel.heap.inUse;
      const code = await machine.run({ files: { "thousand.py": src }, entry: "thousand.py", argv: ["1000"] }).exit;
      expect(out).toBe("1000 of 1000 connections echoed; server exit code 0\n");
      expect(code).toBe(0);
      // 1000 client sockets, 1000 accepted sockets and the listener.
      expect(last.size).toBe(2001);
      const states = new Set(last.values());
      // Clients close first, so like on Linux their side waits in TIME_WAIT for a while (the
      // network unit tests check that TIME_WAIT expires); nothing else may be left.
      expect([...states].filter((s) => s !== "CLOSED" && s !== "TIME_WAIT")).toEqual([]);
      expect(machine.processes().filter((p) => p.pid !== 1)).toEqual([]);
      expect(machine.liveWorkers).toBeLessThanOrEqual(machine.maxIdleWorkers);
      // Every connection's socket rings (2 × 192 KiB) went back to the shared heap, even while
      // the client ends wait in TIME_WAIT; what stays is the program's own objects (its Queue ring).
      expect(machine.kernel.heap.inUse - heapBefore).toBeLessThan(192 * 1024);
    } finally {
      machine.dispose();
    }
  }, 300_000);
});

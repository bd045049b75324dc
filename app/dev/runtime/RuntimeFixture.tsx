"use client";

import { useEffect, useRef, useState } from "react";
import { createBrowserMachine, type KernelEvent, type Machine } from "@/lib/runtime";

const PROGRAM = `import multiprocessing as mp
import os

def work(q, n):
    q.put((n, n * n, os.getpid() != os.getppid()))

if __name__ == "__main__":
    q = mp.Queue()
    ps = [mp.Process(target=work, args=(q, i)) for i in range(3)]
    for p in ps: p.start()
    results = sorted(q.get() for _ in ps)
    for p in ps: p.join()
    print("results", results)
    print("exitcodes", [p.exitcode for p in ps])
`;

/**
 * With \`?idle=N\` (bench/runtime-browser.bench.ts): N children that wait on an Event, like
 * bench/runtime/idle_memory.py; the main process prints their pids and waits for a line on
 * stdin before it lets them go.
 */
const IDLE_PROGRAM = `import json
import multiprocessing as mp
import os
import sys

def idle(started, go):
    started.put(os.getpid())
    go.wait()

if __name__ == "__main__":
    n = int(sys.argv[1])
    started, go = mp.Queue(), mp.Event()
    ps = [mp.Process(target=idle, args=(started, go)) for _ in range(n)]
    for p in ps:
        p.start()
    print(json.dumps({"pids": sorted(started.get() for _ in ps)}), flush=True)
    input()
    go.set()
    for p in ps:
        p.join()
`;

/**
 * With \`?probe=lockdown\` (tests/e2e/sandbox.spec.ts): what Python's \`js\` module reaches in a
 * real browser worker once the runtime has locked it down.
 */
const PROBE_PROGRAM = `import js
names = ["fetch", "XMLHttpRequest", "WebSocket", "EventSource", "caches", "indexedDB", "Worker",
         "SharedWorker", "importScripts", "BroadcastChannel", "open", "localStorage", "postMessage"]
print("reachable", [n for n in names if getattr(js, n, None) is not None])
# Code made by the Function constructor would run in the same global scope: the page's CSP
# (no 'unsafe-eval') refuses to make it at all.
try:
    print("via Function", js.setTimeout.constructor("return [typeof fetch, typeof importScripts, typeof Worker, typeof indexedDB].join()")())
except Exception as e:
    print("via Function refused:", "unsafe-eval" in str(e))
try:
    js.importScripts("/pyodide/pyodide.mjs")
    print("importScripts ran")
except Exception as e:
    print("importScripts failed")
`;

/**
 * Boots a Machine and runs PROGRAM once, showing stdout/stderr, the exit code and event
 * counts. With \`?idle=N\` it waits for "Start idle processes" instead, then runs IDLE_PROGRAM
 * (status "idle N" while the N children wait; "Release" ends it).
 */
export function RuntimeFixture() {
  const [out, setOut] = useState("");
  const [status, setStatus] = useState("booting");
  const [spawns, setSpawns] = useState(0);
  const [idle, setIdle] = useState(0);
  const [sharedBytes, setSharedBytes] = useState(0);
  const machineRef = useRef<Machine | null>(null);

  useEffect(() => {
    let disposed = false;
    const idleCount = Number(new URLSearchParams(window.location.search).get("idle") ?? 0);
    const machine = createBrowserMachine();
    machineRef.current = machine;
    const decoder = new TextDecoder();
    machine.onOutput((c) => {
      const text = decoder.decode(c.data);
      if (!disposed) setOut((o) => o + text);
      if (!disposed && text.startsWith('{"pids"')) setStatus(`idle ${(JSON.parse(text.split("\n")[0]) as { pids: number[] }).pids.length}`);
    });
    machine.onEvent((e: KernelEvent) => {
      if (e.type === "spawn" && !disposed) setSpawns((n) => n + 1);
    });
    machine
      .warm()
      .then(() => {
        if (disposed) return;
        setSharedBytes(machine.kernel.heap.buffer.byteLength);
        if (idleCount > 0) {
          setIdle(idleCount);
          setStatus("ready");
          return;
        }
        setStatus("running");
        const probe = new URLSearchParams(window.location.search).get("probe") === "lockdown";
        return machine.run({ files: { "main.py": probe ? PROBE_PROGRAM : PROGRAM }, entry: "main.py" }).exit;
      })
      .then((code) => {
        if (!disposed && code !== undefined) setStatus(`exit ${code}`);
      })
      .catch((e: unknown) => !disposed && setStatus(`error ${String(e)}`));
    return () => {
      disposed = true;
      machineRef.current = null;
      machine.dispose();
    };
  }, []);

  const startIdle = () => {
    const machine = machineRef.current;
    if (!machine) return;
    setStatus("running");
    machine.run({ files: { "idle.py": IDLE_PROGRAM }, entry: "idle.py", argv: [String(idle)] }).exit.then(
      (code) => machineRef.current === machine && setStatus(`exit ${code}`),
      (e: unknown) => setStatus(`error ${String(e)}`),
    );
  };

  return (
    <section>
      <p>
        Status: <output data-testid="status">{status}</output> · processes spawned: <output data-testid="spawns">{spawns}</output>
      </p>
      {idle > 0 && (
        <p className="flex gap-2" data-testid="kernel-heap-bytes" data-bytes={sharedBytes}>
          <button type="button" className="rounded border px-2" onClick={startIdle} disabled={status !== "ready"}>
            Start {idle} idle processes
          </button>
          <button type="button" className="rounded border px-2" onClick={() => machineRef.current?.writeStdin("go\n")} disabled={!status.startsWith("idle")}>
            Release
          </button>
        </p>
      )}
      <pre data-testid="output" className="whitespace-pre-wrap rounded border p-2 text-sm">
        {out}
      </pre>
    </section>
  );
}

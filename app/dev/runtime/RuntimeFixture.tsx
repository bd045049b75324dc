"use client";

import { useEffect, useState } from "react";
import { createBrowserMachine, type KernelEvent } from "@/lib/runtime";

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

/** Boots a Machine, runs PROGRAM once, shows stdout/stderr, the exit code and event counts. */
export function RuntimeFixture() {
  const [out, setOut] = useState("");
  const [status, setStatus] = useState("booting");
  const [spawns, setSpawns] = useState(0);

  useEffect(() => {
    let disposed = false;
    const machine = createBrowserMachine();
    const decoder = new TextDecoder();
    machine.onOutput((c) => {
      const text = decoder.decode(c.data);
      if (!disposed) setOut((o) => o + text);
    });
    machine.onEvent((e: KernelEvent) => {
      if (e.type === "spawn" && !disposed) setSpawns((n) => n + 1);
    });
    machine
      .warm()
      .then(() => {
        if (disposed) return;
        setStatus("running");
        return machine.run({ files: { "main.py": PROGRAM }, entry: "main.py" }).exit;
      })
      .then((code) => {
        if (!disposed && code !== undefined) setStatus(`exit ${code}`);
      })
      .catch((e: unknown) => !disposed && setStatus(`error ${String(e)}`));
    return () => {
      disposed = true;
      machine.dispose();
    };
  }, []);

  return (
    <section>
      <p>
        Status: <output data-testid="status">{status}</output> · processes spawned: <output data-testid="spawns">{spawns}</output>
      </p>
      <pre data-testid="output" className="whitespace-pre-wrap rounded border p-2 text-sm">
        {out}
      </pre>
    </section>
  );
}

/** Adapters from the two machine APIs of this project onto `RunHost` (see run.ts). */
import type { PlaygroundMachine } from "@/lib/playground";
import { Signal } from "@/lib/kernel";
import type { Machine } from "@/lib/runtime";
import type { RunHost } from "./run";

/** The live editor's page machine (browser). */
export function hostFromPlaygroundMachine(m: PlaygroundMachine): RunHost {
  return {
    start: async (files, entry) => {
      const p = await m.run({ files, entry });
      return { pid: p.pid, exited: p.exited };
    },
    onOutput: (listener) => m.onOutput((c) => listener(c.pid, c.text)),
    onEvent: (listener) => m.onEvent(listener),
    kill: (pid) => m.signal(pid, "SIGKILL"),
  };
}

/** lib/runtime's Machine directly (Node tests, tools). */
export function hostFromRuntimeMachine(m: Machine): RunHost {
  return {
    start: async (files, entry) => {
      const h = m.run({ files, entry });
      return { pid: h.pid, exited: h.exit };
    },
    onOutput: (listener) => {
      // One streaming decoder per pid and fd: a character may be split across chunks.
      const decoders = new Map<string, TextDecoder>();
      return m.onOutput(({ pid, fd, data }) => {
        const key = `${pid}:${fd}`;
        let d = decoders.get(key);
        if (!d) decoders.set(key, (d = new TextDecoder()));
        const text = d.decode(data, { stream: true });
        if (text) listener(pid, text);
      });
    },
    onEvent: (listener) => m.onEvent(listener),
    kill: (pid) => {
      try {
        m.signal(pid, Signal.SIGKILL);
      } catch {
        // Already gone: nothing to stop.
      }
    },
  };
}

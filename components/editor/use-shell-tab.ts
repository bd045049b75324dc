"use client";

/**
 * The Output / Shell tabs under a live example. The Shell tab runs lib/shell on the page's
 * machine, started the first time the tab opens (lib/shell loads then, so it is not in a
 * lesson page's first-load JavaScript). Programs the shell starts join the example's
 * process panel; their output stays in the shell's terminal.
 */
import { useCallback, useEffect, useState, type RefObject } from "react";
import type { ExampleSession } from "@/lib/playground";
import type { MachinePort } from "@/lib/runtime/port";
import { TerminalSink } from "@/components/terminal/sink";
import { pageRuntime } from "./runtime";

export type OutputTab = "output" | "shell";

export interface ShellTab {
  open: boolean;
  tab: OutputTab;
  /** The shell's terminal, once the Shell tab was opened. */
  shellSink: TerminalSink | null;
  /** Opens `tab` (the shell starts on its first opening). */
  show(tab: OutputTab): void;
  /** A click on a tab: opens it, or closes the panel when it is the open one. */
  toggle(tab: OutputTab): void;
}

export function useShellTab(session: ExampleSession<TerminalSink>, files: RefObject<Record<string, string>>): ShellTab {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<OutputTab>("output");
  const [shellSink, setShellSink] = useState<TerminalSink | null>(null);

  useEffect(() => {
    if (!shellSink) return;
    let shell: { dispose(): void } | null = null;
    let offInput = () => {};
    let cancelled = false;
    void Promise.all([pageRuntime().machine(), import("@/lib/shell")])
      .then(([m, { Shell }]) => {
        if (cancelled) return;
        session.watch(m);
        // The example's files, so `python main.py` finds them.
        m.writeFiles(files.current);
        const machine: MachinePort = {
          ...m,
          run: (options) => {
            const handle = m.run(options);
            session.adoptExternal(m, handle.pid);
            return handle;
          },
        };
        const opened = new Shell({ machine, write: (text) => shellSink.write(text) });
        opened.start();
        shell = opened;
        offInput = shellSink.onInput((data) => opened.input(data));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      offInput();
      shell?.dispose();
    };
  }, [shellSink, session, files]);

  const show = useCallback(
    (next: OutputTab) => {
      setOpen(true);
      setTab(next);
      if (next === "shell" && !shellSink) setShellSink(new TerminalSink());
    },
    [shellSink],
  );

  const toggle = useCallback((next: OutputTab) => (open && tab === next ? setOpen(false) : show(next)), [open, tab, show]);

  return { open, tab, shellSink, show, toggle };
}

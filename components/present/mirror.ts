"use client";

/**
 * One-line opt-ins for components that should look the same in the audience and presenter
 * windows (editor contents and run output). Outside a presentation they do nothing.
 *
 *   // in the live editor, with its own state:
 *   useEditorMirror(id, files, setFiles);
 *   useOutputMirror(id, terminalText, setMirroredText);
 *   useStepMirror(id, stepSnapshot, setMirroredStep);
 */
import { useEffect, useRef } from "react";
import type { StepSnapshot } from "@/lib/playground/step-session";
import { usePresentationSync } from "./use-presentation-sync";

type Files = Record<string, string>;

function sameFiles(a: Files, b: Files): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Mirrors an editor's files between the windows of a presentation (debounced; last writer wins). */
export function useEditorMirror(id: string, files: Files, setFiles: (files: Files) => void, debounceMs = 150): void {
  const sync = usePresentationSync();
  const fromRemote = useRef<Files | null>(null);
  const latest = useRef(files);
  useEffect(() => {
    latest.current = files;
  }, [files]);

  useEffect(() => {
    if (!sync) return;
    const offs = [
      sync.on("editor", (m) => {
        if (m.id !== id || sameFiles(m.files, latest.current)) return;
        fromRemote.current = m.files;
        setFiles(m.files);
      }),
      // A window that opens late gets what the others show now.
      sync.on("hello", () => sync.post({ type: "editor", id, files: latest.current })),
    ];
    return () => offs.forEach((off) => off());
  }, [sync, id, setFiles]);

  // Only edits are mirrored: a window opening must not overwrite the others with its own start state.
  const initial = useRef(files);
  useEffect(() => {
    if (!sync || files === initial.current) return;
    if (fromRemote.current && sameFiles(fromRemote.current, files)) {
      fromRemote.current = null;
      return;
    }
    const t = setTimeout(() => sync.post({ type: "editor", id, files }), debounceMs);
    return () => clearTimeout(t);
  }, [sync, id, files, debounceMs]);
}

/** Mirrors a run's output text (the whole text so far) to the other windows; `onRemote` shows theirs. */
export function useOutputMirror(id: string, text: string | null, onRemote: (text: string) => void, throttleMs = 100): void {
  const sync = usePresentationSync();
  const sent = useRef<string | null>(null);

  useEffect(() => {
    if (!sync) return;
    return sync.on("output", (m) => {
      if (m.id !== id) return;
      sent.current = m.text;
      onRemote(m.text);
    });
  }, [sync, id, onRemote]);

  useEffect(() => {
    if (!sync || text === null || text === sent.current) return;
    const t = setTimeout(() => {
      sent.current = text;
      sync.post({ type: "output", id, text });
    }, throttleMs);
    return () => clearTimeout(t);
  }, [sync, id, text, throttleMs]);
}

/** Mirrors an example's step mode (null: closed) to the other windows; `onRemote` shows theirs. */
export function useStepMirror(id: string, state: StepSnapshot | null | undefined, onRemote: (state: StepSnapshot | null) => void): void {
  const sync = usePresentationSync();
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  }, [state]);

  useEffect(() => {
    if (!sync) return;
    const offs = [
      sync.on("step", (m) => m.id === id && onRemote(m.state)),
      sync.on("hello", () => latest.current !== undefined && sync.post({ type: "step", id, state: latest.current })),
    ];
    return () => offs.forEach((off) => off());
  }, [sync, id, onRemote]);

  // `undefined`: this window only shows what others send (the presenter's preview).
  useEffect(() => {
    if (!sync || state === undefined) return;
    sync.post({ type: "step", id, state });
  }, [sync, id, state]);
}

"use client";

/**
 * The files of one live example: the lesson's originals, the reader's edits (saved per
 * page and block in localStorage), a share link (`#share=…`, loaded but never run), and
 * copies from the presenter window. Every replacement from outside the editor goes
 * through `replace`, which bumps the editor's `revision` so it shows the new text.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { EditStore, browserStorage, decodeShare, encodeShare, isModified, type SharedSchedule } from "@/lib/playground";

type Files = Record<string, string>;

export interface ExampleFiles {
  original: Files;
  files: Files;
  /** The newest files, for callbacks that must not re-create on every keystroke. */
  filesRef: RefObject<Files>;
  /** Counts replacements of the code from outside the editor (CodeEditor's `revision`). */
  revision: number;
  modified: boolean;
  /** Opened from someone's share link. */
  shared: boolean;
  /** The step-mode interleaving that link carried (loaded, never run by itself). */
  sharedSchedule: SharedSchedule | null;
  shareUrl: string | null;
  copied: "code" | "link" | null;
  onChange(file: string, value: string): void;
  /** Replaces the files (over the originals) from outside the editor: a copy from another window. */
  replace(next: Files): void;
  reset(): void;
  copy(file: string): Promise<void>;
  /** Copies a link to the code (and, from step mode, to an interleaving of it). */
  share(schedule?: SharedSchedule): Promise<string>;
}

export function useExampleFiles(id: string, entry: string, original: Files, root: RefObject<HTMLElement | null>): ExampleFiles {
  const [files, setFiles] = useState<Files>(original);
  const [revision, setRevision] = useState(0);
  const [modified, setModified] = useState(false);
  const [shared, setShared] = useState(false);
  const [sharedSchedule, setSharedSchedule] = useState<SharedSchedule | null>(null);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState<"code" | "link" | null>(null);
  const store = useMemo(() => new EditStore(browserStorage()), []);
  const pagePath = useRef("");
  // Set where the files change, not in an effect after React commits them: a Run right after
  // the last keystroke (Ctrl+Enter while typing) must run what the editor shows.
  const filesRef = useRef(files);

  const replace = useCallback(
    (next: Files) => {
      const merged = { ...original, ...next };
      filesRef.current = merged;
      setFiles(merged);
      setRevision((r) => r + 1);
      setModified(isModified(merged, original));
    },
    [original],
  );

  // A share link wins over saved edits; either is shown, never run.
  useEffect(() => {
    pagePath.current = window.location.pathname;
    let cancelled = false;
    const saved = store.load(pagePath.current, id);
    void decodeShare(window.location.hash)
      .catch(() => null)
      .then((fromShare) => {
        if (cancelled) return;
        if (fromShare && fromShare.blockId === id) {
          replace(fromShare.files);
          setShared(true);
          setSharedSchedule(fromShare.schedule ?? null);
          root.current?.scrollIntoView({ block: "start" });
        } else if (saved) replace(saved);
      });
    return () => {
      cancelled = true;
    };
  }, [id, store, replace, root]);

  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onChange = useCallback(
    (file: string, value: string) => {
      if (filesRef.current[file] !== value) filesRef.current = { ...filesRef.current, [file]: value };
      setFiles((prev) => {
        if (prev[file] === value) return prev;
        const next = { ...prev, [file]: value };
        setModified(isModified(next, original));
        if (saveTimer.current) clearTimeout(saveTimer.current);
        saveTimer.current = setTimeout(() => store.save(pagePath.current, id, next, original), 250);
        return next;
      });
    },
    [id, original, store],
  );

  const reset = useCallback(() => {
    replace({});
    setShared(false);
    store.clear(pagePath.current, id);
  }, [id, replace, store]);

  const flash = useCallback((what: "code" | "link") => {
    setCopied(what);
    setTimeout(() => setCopied(null), 1500);
  }, []);

  const copy = useCallback(
    async (file: string) => {
      try {
        await navigator.clipboard.writeText(filesRef.current[file] ?? "");
        flash("code");
      } catch {
        setCopied(null);
      }
    },
    [flash],
  );

  const share = useCallback(async (schedule?: SharedSchedule) => {
    const frag = await encodeShare({ blockId: id, files: filesRef.current, entry, schedule });
    const url = `${window.location.origin}${window.location.pathname}${window.location.search}#${frag}`;
    if (!schedule) setShareUrl(url);
    try {
      await navigator.clipboard.writeText(url);
      flash("link");
    } catch {
      // Clipboard refused (permissions): the link stays visible to copy by hand.
    }
    return url;
  }, [entry, flash, id]);

  return { original, files, filesRef, revision, modified, shared, sharedSchedule, shareUrl, copied, onChange, replace, reset, copy, share };
}

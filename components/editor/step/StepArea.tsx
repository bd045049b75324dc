"use client";

/**
 * Step mode wired into a live example: the editor (through `editor`, with its gutter markers)
 * and the step panel, subscribed to the step session here so a step redraws only these, not
 * the whole example. Also: a shared link's interleaving (loaded, not run), the presenter
 * mirror, and schedule search. In the presenter's preview it shows what the audience sends.
 */
import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import type { StepSnapshot } from "@/lib/playground/step-session";
import type { Locale } from "@/lib/content/locales";
import { useStepMirror } from "@/components/present/mirror";
import type { LineMarker } from "../CodeEditor";
import type { ExampleFiles } from "../use-example-files";
import { markClass } from "./colours";
import { StepPanel, type StepActions } from "./StepPanel";
import { stepStrings } from "./strings";
import type { StepMode } from "./use-step-session";
import { useStepSearch } from "./use-step-search";

export interface StepAreaProps {
  id: string;
  entry: string;
  locale: string;
  ex: ExampleFiles;
  preview: boolean;
  mode: StepMode;
  /** Draws the editor of `file` with these markers. */
  editor: (markers: readonly LineMarker[] | undefined) => ReactNode;
  file: string;
}

const sameFile = (where: string, file: string) => where === file || where.endsWith(`/${file}`);

export function StepArea({ id, entry, locale, ex, preview, mode, editor, file }: StepAreaProps) {
  const { load, session, begin, close, open } = mode;
  const search = useStepSearch(session, entry, ex.filesRef, begin);
  const { find, stop: stopSearch } = search;
  const [mirrored, setMirrored] = useState<StepSnapshot | null>(null);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const s = stepStrings(locale);
  const current = useSyncExternalStore(session.subscribe, session.snapshot, session.snapshot);

  useEffect(() => {
    if (ex.sharedSchedule && !preview) load(ex.sharedSchedule.token, ex.sharedSchedule.steps);
  }, [ex.sharedSchedule, load, preview]);

  const local = open ? current : null;
  useStepMirror(id, preview ? undefined : local, setMirrored);
  const snap = preview ? mirrored : local;

  const { share } = ex;
  const actions = useMemo<StepActions>(
    () => ({
      step: (proc) => session.pick(proc),
      toShared: () => session.runToShared(),
      advance: () => session.pick("advance"),
      back: () => session.back(),
      random: () => session.finishRandom(),
      replay: () => void begin(),
      close: () => {
        setShareUrl(null);
        close();
      },
      find: () => void find(),
      stopSearch,
      follow: () => session.followFailure(),
      share: () => {
        const { token, steps } = session.snapshot();
        void share({ token, steps: steps.length }).then((url) => {
          setShareUrl(url);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      },
    }),
    [session, begin, close, share, find, stopSearch],
  );

  const lanes = snap?.lanes;
  const names = snap?.names;
  const markers = useMemo(
    () =>
      lanes
        ?.filter((l) => l.where && l.state !== "exited" && sameFile(l.where.file, file))
        .map((l) => ({ line: l.where?.line ?? 1, className: markClass(l.pid), label: `${names?.get(l.pid)?.name ?? `pid ${l.pid}`} (pid ${l.pid})` })),
    [lanes, names, file],
  );

  return (
    <>
      {editor(markers)}
      {snap ? <StepPanel id={id} s={s} lang={(locale === "zh" ? "zh" : "en") as Locale} snap={snap} actions={preview ? null : actions} shareUrl={shareUrl} copied={copied} search={search.state} /> : null}
    </>
  );
}

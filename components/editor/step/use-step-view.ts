"use client";

/**
 * Step mode wired into a live example: the step session (`useStepMode`), a shared link's
 * interleaving (loaded, not run), the presenter mirror, the editor's gutter markers and the
 * panel's props. In the presenter's preview it only shows what the audience window sends.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { StepSnapshot } from "@/lib/playground/step-session";
import type { Locale } from "@/lib/content/locales";
import { useStepMirror } from "@/components/present/mirror";
import type { LineMarker } from "../CodeEditor";
import type { ExampleFiles } from "../use-example-files";
import { markClass } from "./colours";
import type { StepActions, StepPanelProps } from "./StepPanel";
import { stepStrings } from "./strings";
import { useStepMode } from "./use-step-session";
import { useStepSearch } from "./use-step-search";

export interface StepView {
  begin(): void;
  closeStep(): void;
  markers(file: string): readonly LineMarker[] | undefined;
  panel: StepPanelProps | null;
}

const sameFile = (where: string, file: string) => where === file || where.endsWith(`/${file}`);

export function useStepView({ id, entry, locale, ex, preview }: { id: string; entry: string; locale: string; ex: ExampleFiles; preview: boolean }): StepView {
  const mode = useStepMode(entry, ex.filesRef);
  const { load, session, begin, close } = mode;
  const search = useStepSearch(session, entry, ex.filesRef, begin);
  const { find, stop: stopSearch } = search;
  const [mirrored, setMirrored] = useState<StepSnapshot | null>(null);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const s = stepStrings(locale);

  useEffect(() => {
    if (ex.sharedSchedule && !preview) load(ex.sharedSchedule.token, ex.sharedSchedule.steps);
  }, [ex.sharedSchedule, load, preview]);

  const local = mode.open ? mode.snap : null;
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
  const markers = useCallback(
    (file: string): readonly LineMarker[] | undefined =>
      lanes
        ?.filter((l) => l.where && l.state !== "exited" && sameFile(l.where.file, file))
        .map((l) => ({ line: l.where?.line ?? 1, className: markClass(l.pid), label: `${names?.get(l.pid)?.name ?? `pid ${l.pid}`} (pid ${l.pid})` })),
    [lanes, names],
  );

  return {
    begin: () => {
      setShareUrl(null);
      void begin();
    },
    closeStep: actions.close,
    markers,
    panel: snap ? { id, s, lang: (locale === "zh" ? "zh" : "en") as Locale, snap, actions: preview ? null : actions, shareUrl, copied, search: search.state } : null,
  };
}

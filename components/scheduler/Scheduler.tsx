"use client";

import { useMemo } from "react";
import { useParams } from "next/navigation";
import { isScenarioId, modelOf, scenarioModel, type Lang, type ScenarioId, type Trace } from "@/lib/scheduler";
import { SchedulerView } from "./SchedulerView";
import { STRINGS } from "./strings";

export interface SchedulerProps {
  /** A lesson scenario from lib/scheduler/scenarios.ts, e.g. "zombie". */
  scenario?: ScenarioId | (string & {});
  /** A ready-made trace (e.g. a replayed run) instead of a scenario. */
  trace?: Trace;
  /** Page language; defaults to `locale` (set by the lesson pipeline), then the route's /en or /zh. */
  lang?: Lang;
  locale?: string;
  /** "large" starts in projector mode. Default "normal". */
  size?: "normal" | "large";
  /** Names the step in the URL (`#sched-<id>=N`); defaults to the scenario name, or "run". */
  id?: string;
  /** Heading; defaults to the scenario's localized title. */
  title?: string;
}

function asLang(v: unknown): Lang | undefined {
  return v === "zh" || v === "en" ? v : undefined;
}

/** `<Scheduler scenario="zombie" />` in MDX: the animated scheduler view of a scenario or a trace. */
export function Scheduler({ scenario, trace, lang, locale, size, id, title }: SchedulerProps) {
  const params = useParams<{ lang?: string }>();
  const language: Lang = lang ?? asLang(locale) ?? asLang(params?.lang) ?? "en";
  const s = STRINGS[language];
  const model = useMemo(() => (trace ? modelOf(trace) : scenario && isScenarioId(scenario) ? scenarioModel(scenario) : null), [trace, scenario]);
  if (!model) {
    // A lesson with a typo should say so on the page, not render nothing.
    return (
      <p role="alert" className="rounded-md border border-rose-600 p-3 text-rose-800 dark:text-rose-300">
        Unknown scheduler scenario “{scenario ?? ""}”.
      </p>
    );
  }
  const key = id ?? (trace ? "run" : (scenario ?? "run"));
  const heading = title ?? (trace ? s.replayTitle : (s.scenarioTitles[scenario ?? ""] ?? scenario ?? ""));
  return <SchedulerView model={model} id={key} title={heading} lang={language} size={size} />;
}

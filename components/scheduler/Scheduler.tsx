"use client";

import { useMemo } from "react";
import { useParams } from "next/navigation";
import { isScenarioId, modelOf, scenarioModel, ScenarioError, TraceError, type Scenario, type ScenarioId, type Trace, type TraceModel } from "@/lib/scheduler";
import type { Locale } from "@/lib/content/locales";
import { SchedulerView } from "./SchedulerView";
import { STRINGS } from "./strings";

export interface SchedulerProps {
  /**
   * A lesson scenario from lib/scheduler/scenarios.ts, e.g. "zombie", or a scenario object
   * written in the lesson (`scenario={{ seed: 1, main: { name: "MainProcess", steps: [...] } }}`).
   */
  scenario?: ScenarioId | (string & {}) | Scenario;
  /** A ready-made trace (e.g. a replayed run) instead of a scenario. */
  trace?: Trace;
  /** Page language; defaults to `locale` (set by the lesson pipeline), then the route's /en or /zh. */
  lang?: Locale;
  locale?: string;
  /** "large" starts in projector mode. Default "normal". */
  size?: "normal" | "large";
  /** Names the step in the URL (`#sched-<id>=N`); defaults to the scenario name, or "run"/"custom". */
  id?: string;
  /** Heading; defaults to the scenario's localized title. */
  title?: string;
  /** A live trace that grows (step mode): show its newest step unless the reader picked one. */
  follow?: boolean;
}

function asLang(v: unknown): Locale | undefined {
  return v === "zh" || v === "en" ? v : undefined;
}

type Built = { model: TraceModel } | { error: string };

function build(scenario: SchedulerProps["scenario"], trace: Trace | undefined): Built {
  try {
    if (trace) return { model: modelOf(trace) };
    if (typeof scenario === "object") return { model: scenarioModel(scenario) };
    if (scenario && isScenarioId(scenario)) return { model: scenarioModel(scenario) };
    return { error: `Unknown scheduler scenario "${scenario ?? ""}".` };
  } catch (e) {
    // A scenario that asks for the impossible, or a malformed trace: say so where the view would be.
    if (e instanceof ScenarioError || e instanceof TraceError || e instanceof RangeError) return { error: `Scheduler: ${e.message}` };
    throw e;
  }
}

/** `<Scheduler scenario="zombie" />` in MDX: the animated scheduler view of a scenario or a trace. */
export function Scheduler({ scenario, trace, lang, locale, size, id, title, follow }: SchedulerProps) {
  const params = useParams<{ lang?: string }>();
  const language: Locale = lang ?? asLang(locale) ?? asLang(params?.lang) ?? "en";
  const s = STRINGS[language];
  const built = useMemo(() => build(scenario, trace), [trace, scenario]);
  if ("error" in built) {
    return (
      <p role="alert" className="rounded-md border border-rose-600 p-3 text-rose-800 dark:text-rose-300">
        {built.error}
      </p>
    );
  }
  const name = typeof scenario === "string" ? scenario : undefined;
  const key = id ?? (trace ? "run" : (name ?? "custom"));
  const heading = title ?? (trace ? s.replayTitle : name ? (s.scenarioTitles[name] ?? name) : s.customTitle);
  return <SchedulerView model={built.model} id={key} title={heading} lang={language} size={size} follow={follow} />;
}

"use client";

/**
 * Compares a finished run's output with the lesson's expected output (placeholders such
 * as `{pid}`, unordered lines). lib/lessons loads once a run is over: it is not in a
 * lesson page's first-load JavaScript.
 */
import { useEffect, useState } from "react";
import type { CompareResult } from "@/lib/lessons";

/** The result for `finishedOutput` (the output of a run that is over), or null. */
export function useOutputCheck(expectedOutput: string | undefined, unordered: boolean, finishedOutput: string | null): CompareResult | null {
  const [comparison, setComparison] = useState<{ output: string; result: CompareResult } | null>(null);
  useEffect(() => {
    if (finishedOutput === null || expectedOutput === undefined) return;
    let cancelled = false;
    void import("@/lib/lessons").then(({ compareOutput }) => {
      if (!cancelled) setComparison({ output: finishedOutput, result: compareOutput(expectedOutput, finishedOutput, { unordered }) });
    });
    return () => {
      cancelled = true;
    };
  }, [finishedOutput, expectedOutput, unordered]);
  // A result for an older run is not shown.
  return comparison && comparison.output === finishedOutput ? comparison.result : null;
}

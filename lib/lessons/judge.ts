/**
 * Whether one lesson block's run printed what the lesson says, and whether an exercise's
 * solution passed: the one verdict the Node suite (block-suite.ts) gives, kept host-agnostic
 * so a browser runner gives the same one.
 */
import { formatDeadlock } from "@/lib/kernel";
import type { RunnableBlock } from "./blocks";
import { compareOutput } from "./output";
import type { RunResult } from "./run";
import type { CheckReport } from "./exercise";

/**
 * Runs a block (without diverges=) gets before it fails. Some blocks arrange what they show
 * with timing, as a lesson must to show a race on every Run (a Barrier, then a sleep between
 * read and write); on a loaded machine a run can miss that timing, as CPython's can.
 */
export const BLOCK_TRIES = 3;

/** Null when the run is what the lesson says; else why not, with the run's output. */
export function judgeBlock(block: RunnableBlock, result: RunResult): string | null {
  // A block that races on purpose may lose the race in this run too: that is what it shows.
  if (block.race !== null && result.output.includes(block.race)) return null;
  const note = block.needsNetwork ? " [network lesson: needs the socket module of lib/kernel/net + _spawnpoint_net]" : "";
  const companions = Object.entries(result.companionOutput).map(([name, out]) => `\n--- ${name}'s output ---\n${out}`).join("");
  const shown = `${note}\n--- actual output (exit ${result.exitCode}${result.timedOut ? ", timed out" : ""}) ---\n${result.output}${companions}`;
  const cmp = compareOutput(block.expected ?? "", result.output, { unordered: block.unordered });
  if (!cmp.ok) return `${cmp.mismatch.reason} at line ${cmp.mismatch.line}: expected ${JSON.stringify(cmp.mismatch.expected)}, got ${JSON.stringify(cmp.mismatch.actual)}${shown}`;
  if (block.deadlock !== null) {
    // The lesson shows the kernel's diagnosis: it must come, and say what the lesson says.
    if (result.deadlock === null) return `no deadlock diagnosis${shown}`;
    const text = formatDeadlock(result.deadlock, "en").join("\n");
    if (!text.includes(block.deadlock)) return `the deadlock diagnosis does not say ${JSON.stringify(block.deadlock)}:\n${text}${shown}`;
  } else if (result.deadlock !== null) return `unexpected deadlock${shown}`;
  if (block.expectError) return result.exitCode !== 0 ? null : `should fail${shown}`;
  if (block.timeout === null && block.companions.length === 0 && result.exitCode !== 0) return `should exit 0${shown}`;
  return null;
}

/** For a `diverges=` block: null while the runtime still differs from CPython, as the block says. */
export function judgeDivergence(block: RunnableBlock, result: RunResult): string | null {
  const cmp = compareOutput(block.expected ?? "", result.output, { unordered: block.unordered });
  return cmp.ok ? "the runtime now matches CPython here: remove diverges= from this block" : null;
}

/** Null when an exercise's own solution passed its check; else why not, with its output. */
export function judgeSolution(report: CheckReport): string | null {
  return report.passed ? null : `solution rejected: ${report.message.en}\n${report.output ?? ""}`;
}

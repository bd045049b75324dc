"use client";

import { blockReasonLabel, stateLabel, type ProcessView } from "@/lib/scheduler";
import type { Locale } from "@/lib/content/locales";
import { NODE, NODE_TEXT } from "./colors";
import { layoutTree } from "./layout";
import type { SchedulerStrings } from "./strings";

const NODE_W = 136;
const NODE_H = 76;
const COL = 152;
const ROW = 108;
const PAD = 10;

/** Centre-top and centre-bottom of a node in SVG units. */
function anchor(x: number, y: number) {
  return { cx: PAD + x * COL + NODE_W / 2, top: PAD + y * ROW, bottom: PAD + y * ROW + NODE_H };
}

export interface ProcessTreeProps {
  processes: readonly ProcessView[];
  lang: Locale;
  s: SchedulerStrings;
  /** Projector mode: let the tree grow with the larger text. */
  large?: boolean;
}

/**
 * The process tree at one step. Nodes and parent edges are keyed by pid and positioned
 * with CSS (transform, and the `d` property of edges), so when init adopts an orphan the
 * node slides under init and its edge swings over; prefers-reduced-motion turns it into a jump.
 */
export function ProcessTree({ processes, lang, s, large = false }: ProcessTreeProps) {
  const { nodes, columns, rows } = layoutTree(processes);
  const width = PAD * 2 + (columns - 1) * COL + NODE_W;
  const height = PAD * 2 + (rows - 1) * ROW + NODE_H;
  const byPid = new Map(processes.map((p) => [p.pid, p]));

  return (
    <svg
      role="img"
      aria-label={`${s.tree}: ${processes.map((p) => `${p.name} (pid ${p.pid}) ${stateLabel(p.state, lang)}`).join(", ")}`}
      viewBox={`0 0 ${width} ${height}`}
      className="mx-auto block h-auto w-full"
      style={{ maxWidth: `${width * (large ? 1.9 : 1.15)}px`, maxHeight: large ? "70vh" : "min(60vh, 34em)" }}
    >
      <g>
        {processes.map((p) => {
          const parent = byPid.get(p.ppid);
          const from = nodes.get(p.ppid);
          const to = nodes.get(p.pid);
          if (!parent || !from || !to) return null;
          const a = anchor(from.x, from.y);
          const b = anchor(to.x, to.y);
          const midY = (a.bottom + b.top) / 2;
          const d = `M ${a.cx} ${a.bottom} C ${a.cx} ${midY}, ${b.cx} ${midY}, ${b.cx} ${b.top}`;
          const adopted = p.ppid !== p.originalPpid;
          return (
            <path
              key={`edge-${p.pid}`}
              data-edge={`${p.ppid}-${p.pid}`}
              d={d}
              style={{ d: `path("${d}")` }}
              className={`fill-none motion-safe:transition-[d] motion-safe:duration-700 motion-safe:ease-in-out ${
                p.state === "reaped" ? "stroke-slate-300 dark:stroke-slate-600" : adopted ? "stroke-violet-600 dark:stroke-violet-400" : "stroke-slate-500 dark:stroke-slate-400"
              }`}
              strokeWidth={adopted ? 2.5 : 1.5}
              strokeDasharray={p.state === "reaped" ? "4 4" : undefined}
            />
          );
        })}
      </g>
      {processes.map((p) => {
        const pos = nodes.get(p.pid);
        if (!pos) return null;
        const x = PAD + pos.x * COL;
        const y = PAD + pos.y * ROW;
        const reaped = p.state === "reaped";
        const detail = p.state === "zombie" || reaped ? s.exitCode(p.exitCode ?? 0) : p.blockedOn ? blockReasonLabel(p.blockedOn) : "";
        return (
          <g
            key={p.pid}
            data-pid={p.pid}
            data-state={p.state}
            data-ppid={p.ppid}
            style={{ transform: `translate(${x}px, ${y}px)` }}
            className={`motion-safe:transition-[transform,opacity] motion-safe:duration-700 motion-safe:ease-in-out ${reaped ? "opacity-55" : ""}`}
          >
            <rect
              width={NODE_W}
              height={NODE_H}
              rx={10}
              className={`${NODE[p.state]} motion-safe:transition-colors motion-safe:duration-300`}
              strokeWidth={p.state === "running" ? 3 : 2}
              strokeDasharray={reaped ? "5 4" : p.state === "new" ? "2 3" : undefined}
            />
            <text x={10} y={20} className="fill-[var(--fg)] text-[13px] font-semibold">
              {p.name.length > 16 ? `${p.name.slice(0, 15)}…` : p.name}
            </text>
            <text x={NODE_W - 10} y={20} textAnchor="end" className="fill-[var(--fg-muted)] font-mono text-[11px]">
              {p.pid}
            </text>
            <text x={10} y={39} className={`${NODE_TEXT[p.state]} text-[12px] font-semibold uppercase tracking-wide`}>
              {stateLabel(p.state, lang)}
            </text>
            <text x={10} y={54} className="fill-[var(--fg-muted)] font-mono text-[10.5px]">
              {detail}
            </text>
            {p.pid !== 1 ? (
              // getppid() as the process would see it: it changes when init adopts an orphan.
              <text x={10} y={68} className={`font-mono text-[10.5px] ${p.ppid !== p.originalPpid ? "fill-violet-700 font-semibold dark:fill-violet-300" : "fill-[var(--fg-muted)]"}`}>
                {p.ppid !== p.originalPpid ? s.adopted(p.originalPpid) : `ppid ${p.ppid}`}
                {p.daemon ? ` · ${s.daemon}` : ""}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

"use client";

import { idealSpeedup, parseSpeedup } from "@/lib/lessons/speedup";
import { lessonStrings } from "./strings";

const W = 360;
const H = 180;
const PAD = { left: 36, right: 12, top: 20, bottom: 34 };

/**
 * The speedup a lesson block measured (`chart=speedup`), drawn from its output as the program
 * prints it: one bar per process count, with a dashed mark at the most the machine's cores
 * allow. The numbers are also a table for screen readers. Nothing is drawn before the first row.
 */
export function SpeedupChart({ output, locale }: { output: string; locale: string }) {
  const s = lessonStrings(locale);
  const { cores, rows } = parseSpeedup(output);
  if (rows.length === 0) return null;
  // Headroom above the tallest bar or mark, for its label.
  const top = Math.max(2, ...rows.map((r) => Math.max(r.speedup, idealSpeedup(r.processes, cores)))) * 1.15;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / rows.length;
  const bar = Math.min(48, slot * 0.5);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const ticks = Array.from({ length: Math.floor(top) + 1 }, (_, i) => i);
  const title = s.speedupTitle(cores);
  return (
    <figure className="border-t border-neutral-200 px-3 py-2 dark:border-neutral-700" data-testid="speedup-chart">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="mt-1 w-full max-w-md" role="img" aria-label={`${title}: ${rows.map((r) => s.speedupRow(r.processes, r.seconds, r.speedup)).join("; ")}`}>
        {ticks.map((t) => (
          <g key={t} className="text-neutral-400 dark:text-neutral-500">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="currentColor" strokeWidth={t === 0 ? 1 : 0.5} />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="currentColor">
              {t}×
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const cx = PAD.left + slot * i + slot / 2;
          const ideal = idealSpeedup(r.processes, cores);
          return (
            <g key={`${r.processes}-${i}`} data-processes={r.processes} data-speedup={r.speedup}>
              <rect x={cx - bar / 2} y={y(r.speedup)} width={bar} height={Math.max(0, y(0) - y(r.speedup))} className="fill-sky-600 dark:fill-sky-400" />
              <line x1={cx - bar / 2 - 6} x2={cx + bar / 2 + 6} y1={y(ideal)} y2={y(ideal)} strokeDasharray="4 3" strokeWidth={1.5} className="stroke-amber-600 dark:stroke-amber-400" />
              <text x={cx} y={y(r.speedup) - 5} textAnchor="middle" fontSize="12" className="fill-neutral-900 dark:fill-neutral-100">
                {r.speedup}×
              </text>
              <text x={cx} y={H - PAD.bottom + 16} textAnchor="middle" fontSize="12" className="fill-neutral-700 dark:fill-neutral-300">
                {r.processes}
              </text>
            </g>
          );
        })}
        <text x={PAD.left + plotW / 2} y={H - 4} textAnchor="middle" fontSize="11" className="fill-neutral-600 dark:fill-neutral-400">
          {s.speedupAxis}
        </text>
      </svg>
      <p className="flex gap-4 text-xs text-neutral-700 dark:text-neutral-300" aria-hidden="true">
        <span>
          <span className="mr-1 inline-block h-2.5 w-2.5 bg-sky-600 align-middle dark:bg-sky-400" />
          {s.speedupMeasured}
        </span>
        <span>
          <span className="mr-1 inline-block w-4 border-t-2 border-dashed border-amber-600 align-middle dark:border-amber-400" />
          {s.speedupIdeal}
        </span>
      </p>
      <table className="sr-only">
        <thead>
          <tr>
            {s.speedupHeaders.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>{r.processes}</td>
              <td>{r.seconds}</td>
              <td>{r.speedup}×</td>
              <td>{idealSpeedup(r.processes, cores)}×</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

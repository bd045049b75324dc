import { PROCESS_STATES, stateHint, stateLabel } from "@/lib/scheduler";
import type { Locale } from "@/lib/content/locales";
import { LANE } from "./colors";
import type { SchedulerStrings } from "./strings";

export function Legend({ lang, s }: { lang: Locale; s: SchedulerStrings }) {
  return (
    <div>
      {/* `!`: the lesson's unlayered `.prose ul/li` rules would otherwise add bullets and indents. */}
      <ul className="m-0! flex list-none! flex-wrap gap-x-4 gap-y-1 p-0! text-[0.8em] text-[var(--fg-muted)]" aria-label={s.legend}>
        {PROCESS_STATES.map((state) => (
          <li key={state} className="mt-0! flex items-center gap-1.5">
            <span aria-hidden="true" className={`inline-block h-3 w-5 rounded-sm border border-[var(--border)] ${LANE[state]}`} />
            <span>
              <span className="font-semibold text-[var(--fg)]">{stateLabel(state, lang)}</span> {stateHint(state, lang)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

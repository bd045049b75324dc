"use client";

/**
 * One tab per file of an example or an exercise (WAI-ARIA tabs: ←/→ move between files,
 * Tab leaves the list). Used by LiveExample's toolbar and by components/lesson's Exercise.
 */
import type { ReactNode } from "react";

export interface FileTabsProps {
  names: readonly string[];
  active: string;
  onSelect: (name: string) => void;
  /** The tab list's accessible name. */
  label: string;
  className?: string;
  tabClassName: (selected: boolean) => string;
  /** Shown after a tab's name (e.g. that it is the file Run starts, or edited). */
  decorate?: (name: string) => ReactNode;
}

export function FileTabs({ names, active, onSelect, label, className, tabClassName, decorate }: FileTabsProps) {
  return (
    <div
      role="tablist"
      aria-label={label}
      className={className}
      onKeyDown={(e) => {
        const delta = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
        if (!delta) return;
        e.preventDefault();
        const next = names[(names.indexOf(active) + delta + names.length) % names.length];
        onSelect(next);
        e.currentTarget.querySelector<HTMLButtonElement>(`[data-file="${CSS.escape(next)}"]`)?.focus();
      }}
    >
      {names.map((name) => (
        <button
          key={name}
          type="button"
          role="tab"
          data-file={name}
          tabIndex={name === active ? 0 : -1}
          aria-selected={name === active}
          className={tabClassName(name === active)}
          onClick={() => onSelect(name)}
        >
          {name}
          {decorate?.(name)}
        </button>
      ))}
    </div>
  );
}

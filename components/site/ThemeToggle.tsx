"use client";

import { useEffect, useSyncExternalStore } from "react";
import type { Locale } from "@/lib/content/locales";
import { t } from "./i18n";
import { THEME_STORAGE_KEY } from "./ThemeScript";

type ThemePreference = "light" | "dark" | "system";
const CHANGE_EVENT = "spawnpoint-theme-change";

function readPreference(): ThemePreference {
  const value = document.documentElement.dataset.theme;
  return value === "light" || value === "dark" ? value : "system";
}

function apply(preference: ThemePreference): void {
  const dark = preference === "dark" || (preference === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  const root = document.documentElement;
  root.classList.toggle("dark", dark);
  root.dataset.theme = preference;
  root.style.colorScheme = dark ? "dark" : "light";
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => window.removeEventListener(CHANGE_EVENT, onChange);
}

/** Light / dark / system switch. The pre-paint ThemeScript applied the saved choice already. */
export function ThemeToggle({ locale }: { locale: Locale }) {
  const s = t(locale);
  // The server does not know the preference: render "system" there, then the real value.
  const preference = useSyncExternalStore(subscribe, readPreference, () => "system" as const);

  // Follow the OS while the preference is "system".
  useEffect(() => {
    if (preference !== "system") return;
    const query = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, [preference]);

  function choose(next: ThemePreference) {
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Private mode / storage disabled: the choice still applies to this page.
    }
    apply(next);
    window.dispatchEvent(new Event(CHANGE_EVENT));
  }

  const options: Array<[ThemePreference, string, string]> = [
    ["light", s.themeLight, "☀"],
    ["dark", s.themeDark, "☾"],
    ["system", s.themeSystem, "◐"],
  ];
  return (
    <div role="group" aria-label={s.theme} className="segmented">
      {options.map(([value, label, icon]) => (
        // Narrow screens show only the icon; the label stays the accessible name.
        <button key={value} type="button" aria-pressed={preference === value} onClick={() => choose(value)} aria-label={label} title={label}>
          <span aria-hidden="true" className="segmented-icon">
            {icon}
          </span>
          <span aria-hidden="true" className="segmented-label">
            {label}
          </span>
        </button>
      ))}
    </div>
  );
}

import type { ReactNode } from "react";
import type { Locale } from "@/lib/content/locales";
import { t } from "./i18n";

interface BoxProps {
  title?: string;
  locale: Locale;
  children: ReactNode;
}

/**
 * `<Predict>`: asks the reader to guess before running. Reading-view version: a
 * highlighted box. (Interactive answer reveal can build on this without changing MDX.)
 */
export function Predict({ title, locale, children }: BoxProps) {
  const label = title ?? t(locale).predict;
  return (
    <section className="pedagogy" data-kind="predict" aria-label={label}>
      <p className="pedagogy-title">{label}</p>
      <div>{children}</div>
    </section>
  );
}

/** `<Exercise>`: a task for the reader. */
export function Exercise({ title, locale, children }: BoxProps) {
  const label = title ?? t(locale).exercise;
  return (
    <section className="pedagogy" data-kind="exercise" aria-label={label}>
      <p className="pedagogy-title">{label}</p>
      <div>{children}</div>
    </section>
  );
}

/** `<Notes>`: speaker notes for the presentation view; never shown in the reading view. */
export function Notes(props: { children?: ReactNode; locale?: Locale }) {
  void props;
  return null;
}

/** `<SlideBreak />`: splits slides in the presentation view; nothing in the reading view. */
export function SlideBreak() {
  return null;
}

import type { ReactNode } from "react";
import type { Locale } from "@/lib/content/locales";
import { t } from "./i18n";

export type CalloutType = "note" | "tip" | "warning";

export interface CalloutProps {
  /** Default "note". */
  type?: CalloutType;
  /** Heading; defaults to the localized name of the type. */
  title?: string;
  locale: Locale;
  children: ReactNode;
}

/** `<Callout type="warning">…</Callout>`: an aside that stands out from the lesson text. */
export function Callout({ type = "note", title, locale, children }: CalloutProps) {
  const s = t(locale);
  const label = title ?? { note: s.note, tip: s.tip, warning: s.warning }[type];
  return (
    <aside className="callout" data-type={type} aria-label={label}>
      <p className="callout-title">{label}</p>
      <div className="callout-body">{children}</div>
    </aside>
  );
}

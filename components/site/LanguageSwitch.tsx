import type { Locale } from "@/lib/content/locales";
import { dictionary } from "./i18n";

export interface LanguageSwitchProps {
  current: Locale;
  /** Target URL per language for the page being read (same lesson). */
  hrefs: Record<Locale, string>;
  label: string;
}

/**
 * Links to the same page in every language. Heading ids are equal across translations
 * (checked at build), so the current `#anchor` is carried over: KeepHashScript (inline in
 * <head>) rewrites `data-keep-hash` links on click, which works even before hydration.
 */
export function LanguageSwitch({ current, hrefs, label }: LanguageSwitchProps) {
  const locales = Object.keys(hrefs) as Locale[];
  return (
    <nav aria-label={label} className="segmented">
      {locales.map((locale) => (
        <a
          key={locale}
          href={hrefs[locale]}
          hrefLang={locale === "zh" ? "zh-CN" : "en"}
          lang={locale === "zh" ? "zh-CN" : "en"}
          aria-current={locale === current ? "page" : undefined}
          data-keep-hash={locale === current ? undefined : ""}
        >
          {dictionary[current].languageNames[locale]}
        </a>
      ))}
    </nav>
  );
}

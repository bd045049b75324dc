import Link from "next/link";
import { LOCALES, type Locale } from "@/lib/content/locales";
import { LanguageSwitch } from "./LanguageSwitch";
import { ThemeToggle } from "./ThemeToggle";
import { t } from "./i18n";

export interface SiteHeaderProps {
  locale: Locale;
  /** Path after the language prefix for the current page ("" for home, the slug for a lesson). */
  path: string;
}

export function SiteHeader({ locale, path }: SiteHeaderProps) {
  const s = t(locale);
  const hrefs = Object.fromEntries(LOCALES.map((l) => [l, path ? `/${l}/${path}` : `/${l}`])) as Record<Locale, string>;
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href={`/${locale}`} className="site-logo">
          <span aria-hidden="true" className="site-logo-mark">
            ⑂
          </span>
          {s.siteName}
        </Link>
        <div className="site-header-tools">
          <LanguageSwitch current={locale} hrefs={hrefs} label={s.language} />
          <ThemeToggle locale={locale} />
        </div>
      </div>
    </header>
  );
}

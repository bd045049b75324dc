import Link from "next/link";
import { LOCALES, type Locale } from "@/lib/content/locales";
import { LanguageSwitch } from "./LanguageSwitch";
import { OfflineStatus } from "./OfflineStatus";
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
          <svg aria-hidden="true" className="site-logo-mark" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
            {/* One process forking into two. */}
            <circle cx="6" cy="6" r="2.2" />
            <circle cx="18" cy="6" r="2.2" />
            <circle cx="12" cy="18" r="2.2" />
            <path d="M6 8.2v1.3a3 3 0 0 0 3 3h6a3 3 0 0 0 3-3V8.2M12 12.5v3.3" />
          </svg>
          {s.siteName}
        </Link>
        <div className="site-header-tools">
          <OfflineStatus locale={locale} />
          <LanguageSwitch current={locale} hrefs={hrefs} label={s.language} />
          <ThemeToggle locale={locale} />
        </div>
      </div>
    </header>
  );
}

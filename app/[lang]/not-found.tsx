"use client";

import { usePathname } from "next/navigation";
import { isLocale, DEFAULT_LOCALE } from "@/lib/content/locales";
import { NotFoundContent } from "@/components/site/NotFoundContent";

/** 404 inside a language (e.g. /zh/no-such-lesson): answered in that language. */
export default function LocaleNotFound() {
  const first = usePathname().split("/")[1] ?? "";
  const locale = isLocale(first) ? first : DEFAULT_LOCALE;
  return (
    <main id="main" tabIndex={-1} className="page-main">
      <NotFoundContent locale={locale} />
    </main>
  );
}

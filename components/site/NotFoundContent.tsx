import Link from "next/link";
import type { Locale } from "@/lib/content/locales";
import { t } from "./i18n";

export function NotFoundContent({ locale }: { locale: Locale }) {
  const s = t(locale);
  return (
    <div className="not-found">
      <p className="not-found-code">404</p>
      <h1>{s.notFoundTitle}</h1>
      <p>{s.notFoundBody}</p>
      <Link href={`/${locale}`} className="button-primary">
        {s.backHome}
      </Link>
    </div>
  );
}

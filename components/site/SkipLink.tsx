import type { Locale } from "@/lib/content/locales";
import { t } from "./i18n";

/** First focusable element on every page: jumps over the header and sidebar. */
export function SkipLink({ locale }: { locale: Locale }) {
  return (
    <a href="#main" className="skip-link">
      {t(locale).skipToContent}
    </a>
  );
}

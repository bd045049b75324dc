import Link from "next/link";
import type { LessonFile, Locale } from "@/lib/content";
import { t } from "./i18n";

export function PrevNext({ previous, next, locale }: { previous?: LessonFile; next?: LessonFile; locale: Locale }) {
  const s = t(locale);
  if (!previous && !next) return null;
  return (
    <nav aria-label={`${s.previous} / ${s.next}`} className="prev-next">
      {previous ? (
        <Link href={`/${locale}/${previous.slug}`} rel="prev" className="prev-next-link">
          <span className="prev-next-label">← {s.previous}</span>
          <span className="prev-next-title">{previous.title}</span>
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link href={`/${locale}/${next.slug}`} rel="next" className="prev-next-link" data-next>
          <span className="prev-next-label">{s.next} →</span>
          <span className="prev-next-title">{next.title}</span>
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

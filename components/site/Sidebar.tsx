import Link from "next/link";
import type { Lesson, Locale } from "@/lib/content";
import { LessonNumber } from "@/components/lesson/LessonNumber";
import { t } from "./i18n";

export interface SidebarProps {
  lessons: Lesson[];
  locale: Locale;
  currentSlug?: string;
}

function LessonList({ lessons, locale, currentSlug }: SidebarProps) {
  return (
    <ol className="sidebar-list">
      {lessons.map((lesson) => (
        <li key={lesson.slug}>
          <Link href={`/${locale}/${lesson.slug}`} aria-current={lesson.slug === currentSlug ? "page" : undefined} className="sidebar-link">
            <LessonNumber className="sidebar-number" slug={lesson.slug} order={lesson.order} locale={locale} />
            <span>{lesson.translations[locale].title}</span>
          </Link>
        </li>
      ))}
    </ol>
  );
}

/**
 * Every lesson, in order. Wide screens: a sticky column. Narrow screens: the same list
 * folded in a <details> above the lesson (no JavaScript needed to open it).
 */
export function Sidebar(props: SidebarProps) {
  const s = t(props.locale);
  return (
    <>
      <details className="sidebar-mobile">
        <summary>{s.lessons}</summary>
        <nav aria-label={s.lessons}>
          <LessonList {...props} />
        </nav>
      </details>
      <aside className="sidebar">
        <nav aria-label={s.lessons}>
          <p className="sidebar-heading">{s.lessons}</p>
          <LessonList {...props} />
        </nav>
      </aside>
    </>
  );
}

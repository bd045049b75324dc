import Link from "next/link";
import type { Lesson, Locale } from "@/lib/content";
import { LOCALES } from "@/lib/content/locales";
import { dictionary, t } from "./i18n";

/** The landing page body: what the course teaches, a language choice, the lesson list. */
export function HomePage({ lessons, locale }: { lessons: Lesson[]; locale: Locale }) {
  const s = t(locale);
  const first = lessons[0];
  return (
    <div className="home">
      <section className="home-hero" aria-labelledby="home-title">
        <h1 id="home-title">{s.siteName}</h1>
        <p className="home-tagline">{s.tagline}</p>
        <p className="home-intro">{s.homeIntro}</p>
        <ul className="home-points">
          {s.homePoints.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        <div className="home-actions">
          {first && (
            <Link href={`/${locale}/${first.slug}`} className="button-primary">
              {s.startHere} →
            </Link>
          )}
          <p className="home-languages">
            <span>{s.readIn}:</span>
            {LOCALES.map((l) => (
              <Link key={l} href={`/${l}`} lang={l === "zh" ? "zh-CN" : "en"} aria-current={l === locale ? "page" : undefined}>
                {dictionary[l].languageNames[l]}
              </Link>
            ))}
          </p>
        </div>
      </section>
      <section aria-labelledby="home-lessons">
        <h2 id="home-lessons">{s.lessons}</h2>
        <ol className="lesson-cards">
          {lessons.map((lesson) => {
            const meta = lesson.translations[locale];
            return (
              <li key={lesson.slug}>
                <Link href={`/${locale}/${lesson.slug}`} className="lesson-card">
                  <span className="lesson-card-number">{String(lesson.order).padStart(2, "0")}</span>
                  <span className="lesson-card-text">
                    <span className="lesson-card-title">{meta.title}</span>
                    <span className="lesson-card-summary">{meta.summary}</span>
                  </span>
                  {meta.duration && <span className="lesson-card-duration">{s.lessonMinutes(meta.duration)}</span>}
                </Link>
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}

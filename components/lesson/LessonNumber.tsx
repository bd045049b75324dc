"use client";

import { useCompletedLessons } from "@/lib/lessons";
import "./lesson.css";
import { lessonStrings } from "./strings";

/**
 * The lesson number in the sidebar, replaced by a check mark once the lesson's exercise
 * has passed (progress lives in localStorage, so this renders the number on the server and
 * switches after hydration).
 */
export function LessonNumber({ slug, order, locale, className }: { slug: string; order: number; locale: string; className?: string }) {
  const done = useCompletedLessons().has(slug);
  const s = lessonStrings(locale);
  return (
    <span className={className} data-done={done || undefined} data-testid={`lesson-progress-${slug}`}>
      {done ? (
        <>
          <span aria-hidden="true" className="sp-done-mark">
            ✓
          </span>
          <span className="sr-only">
            {order} ({s.done})
          </span>
        </>
      ) : (
        order
      )}
    </span>
  );
}

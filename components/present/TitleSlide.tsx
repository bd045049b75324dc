/** The first slide: the lesson's number, title, summary and objectives, and (for the instructor) the live-session panel. */
import type { ReactNode } from "react";
import type { PresentStrings } from "./strings";

export interface LessonSummary {
  order: number;
  title: string;
  summary: string;
  objectives?: string[];
}

export function TitleSlide({ s, lesson, live }: { s: PresentStrings; lesson: LessonSummary; live: ReactNode }) {
  return (
    <div className="present-title">
      <p className="present-kicker">{s.lesson(lesson.order)}</p>
      <h1>{lesson.title}</h1>
      <p className="present-summary">{lesson.summary}</p>
      <div className="present-title-row">
        {lesson.objectives?.length ? (
          <div className="present-objectives">
            <p>{s.youWillLearn}</p>
            <ul>
              {lesson.objectives.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {live}
      </div>
    </div>
  );
}

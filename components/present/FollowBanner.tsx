"use client";

/** A student's status line while following: connected, reconnecting, ended, or "away" with a way back. */
import type { PresentStrings } from "./strings";
import type { FollowView } from "./use-follow-session";

export function FollowBanner({ s, follow, index, onBack }: { s: PresentStrings; follow: FollowView; index: number; onBack: () => void }) {
  const { status, instructor, detached } = follow;
  let text: string;
  let tone: "ok" | "warn" | "end" = "ok";
  if (status.kind === "ended") {
    tone = "end";
    text = status.reason === "ended" ? s.endedByInstructor : status.reason === "expired" ? s.expired : s.notFound;
  } else if (status.kind === "reconnecting") {
    tone = "warn";
    text = s.reconnecting;
  } else if (status.kind === "connecting") text = s.connecting;
  else text = s.following(follow.code);
  const away = status.kind !== "ended" && detached && instructor && instructor.slide !== index;
  return (
    <div className="present-follow" data-testid="follow-banner" data-tone={tone} data-status={status.kind} role="status">
      <span>{text}</span>
      {status.kind !== "ended" && detached && instructor && (
        <>
          {away && <span className="present-follow-away">{s.instructorOn(instructor.slide + 1)}</span>}
          <button type="button" onClick={onBack}>
            {s.backToInstructor}
          </button>
        </>
      )}
    </div>
  );
}

/**
 * The live-session wire protocol, shared by the route handlers, the browser client and the benchmark.
 *
 * A session's state is a small snapshot (the instructor's slide and the step of each scheduler view),
 * not a log: every event carries the whole snapshot, so a follower that missed events only needs the
 * newest one. `seq` orders snapshots; followers ignore anything older than what they have.
 */
import { z } from "zod";

// Zod probes whether it may compile validators with `new Function`; under the site's CSP (no
// 'unsafe-eval') the probe is reported as a violation even though zod catches it. Never probe.
z.config({ jitless: true });

export const LIVE_LIMITS = {
  /** Largest request body the drive/create endpoints read, in bytes. */
  maxBodyBytes: 4096,
  maxSlide: 9999,
  maxSchedulerStep: 1_000_000,
  /** Scheduler views tracked per session (a lesson has a handful). */
  maxSchedulers: 32,
} as const;

/** Unambiguous alphabet for join codes: no 0/O, 1/I/L, so a code read off a projector is typed right. */
export const JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const JOIN_CODE_LENGTH = 7;
export const JOIN_CODE_PATTERN = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

export const LangSchema = z.enum(["en", "zh"]);
export const SlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, "lesson slug: lowercase letters, digits and dashes");
export const LessonRefSchema = z.object({ lang: LangSchema, slug: SlugSchema }).strict();
export type LessonRef = z.infer<typeof LessonRefSchema>;

export const SchedulerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "scheduler id: 1-64 letters, digits, _ or -");
const SlideSchema = z.number().int().min(0).max(LIVE_LIMITS.maxSlide);
const StepSchema = z.number().int().min(0).max(LIVE_LIMITS.maxSchedulerStep);

export const LiveStateSchema = z
  .object({
    slide: SlideSchema,
    steps: z.record(SchedulerIdSchema, StepSchema).refine((r) => Object.keys(r).length <= LIVE_LIMITS.maxSchedulers, {
      message: `at most ${LIVE_LIMITS.maxSchedulers} scheduler views`,
    }),
  })
  .strict();
export type LiveState = z.infer<typeof LiveStateSchema>;

/** What the instructor's browser may send. Anything else is refused with 400. */
export const DriveMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("slide"), slide: SlideSchema }).strict(),
  z.object({ type: z.literal("scheduler"), id: SchedulerIdSchema, step: StepSchema }).strict(),
]);
export type DriveMessage = z.infer<typeof DriveMessageSchema>;

export const CreateSessionRequestSchema = z.object({ lesson: LessonRefSchema, slide: SlideSchema.optional() }).strict();
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

export type EndReason = "ended" | "expired";

/** Server → follower events (SSE `event:` names match `type`). */
export type LiveEvent = { type: "state"; seq: number; state: LiveState } | { type: "ended"; reason: EndReason };

export const LiveEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("state"), seq: z.number().int().min(0), state: LiveStateSchema }),
  z.object({ type: z.literal("ended"), reason: z.enum(["ended", "expired"]) }),
]);

/** What anyone holding the join code may learn about a session. */
export interface PublicSession {
  code: string;
  lesson: LessonRef;
  seq: number;
  state: LiveState;
  expiresAt: number;
}

/** A successful join: the session, and the ticket its follower's stream and reconnects carry. */
export interface JoinedSession extends PublicSession {
  ticket: string;
}

/** Returned once, to the instructor's browser, by session creation. */
export interface CreatedSession extends PublicSession {
  /** Bearer token that authorises drive/end; the server keeps only its SHA-256. */
  token: string;
}

/** Upper-cases and strips separators people type ("abc-d 23" → "ABCD23"); returns null if it cannot be a code. */
export function normalizeJoinCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  return JOIN_CODE_PATTERN.test(code) ? code : null;
}

/** Applies one drive message to a snapshot (pure; validation has already happened). */
export function applyDrive(state: LiveState, msg: DriveMessage): LiveState {
  switch (msg.type) {
    case "slide":
      return { ...state, slide: msg.slide };
    case "scheduler":
      return { ...state, steps: { ...state.steps, [msg.id]: msg.step } };
  }
}

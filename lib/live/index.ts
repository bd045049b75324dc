/**
 * lib/live: live class sessions (an instructor drives, students follow). No UI.
 *
 * This entry is isomorphic (protocol + browser client). Server code (sessions, Redis, rate limits,
 * route helpers) is in "@/lib/live/server" so it never lands in a browser bundle.
 */
export {
  LIVE_LIMITS,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  JOIN_CODE_PATTERN,
  LessonRefSchema,
  LiveStateSchema,
  DriveMessageSchema,
  CreateSessionRequestSchema,
  LiveEventSchema,
  normalizeJoinCode,
  applyDrive,
  type LessonRef,
  type LiveState,
  type DriveMessage,
  type CreateSessionRequest,
  type LiveEvent,
  type EndReason,
  type PublicSession,
  type JoinedSession,
  type CreatedSession,
} from "./protocol";
export { liveApi, followLiveSession, LiveApiError, type FollowStatus, type FollowOptions } from "./client";
export { SseParser, type SseMessage } from "./sse";

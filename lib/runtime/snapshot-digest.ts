/**
 * Prefix of the localStorage keys that hold each cached snapshot's SHA-256 (./browser.ts).
 * Its own module so that the e2e tests, which keep a context's snapshot, need not load the runtime.
 */
export const SNAPSHOT_DIGEST_KEY = "spawnpoint-snapshot-digest";

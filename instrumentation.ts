/**
 * Runs once when the server starts. The live API rate-limits by client address, and Next gives route
 * handlers no socket: stamp every request with its socket's address (lib/live/client-address.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerStamp } = await import("./lib/live/client-address");
  installPeerStamp();
}

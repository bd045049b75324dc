/**
 * Boots the page's machine (loaded on demand by ./runtime.ts, so the runtime is not in a
 * lesson page's first-load JavaScript) and hands out its MachinePort.
 */
import { detectCapabilities } from "@/lib/playground/capabilities";
import { createBrowserMachine, portOf, type MachinePort } from "@/lib/runtime";
import { relayController } from "@/lib/runtime/relay-browser";

/** Settles once the page's pool has booted every interpreter it starts with (or failed to). */
let warmed: Promise<void> = Promise.resolve();
export const poolWarmed = (): Promise<void> => warmed;

/**
 * Ready as soon as ONE interpreter waits (a Run then starts at once); the rest of the pool
 * keeps booting in the background instead of delaying the first Run.
 */
export async function bootBrowserMachine(): Promise<MachinePort> {
  // Without SharedArrayBuffer: compatibility mode, once the site's service worker controls the page.
  const relay = detectCapabilities().mode === "relay" ? await relayController() : undefined;
  const m = createBrowserMachine({ relayVia: relay });
  // Several boots at once (one per core): a Run that comes before the pool is full then finds
  // a booted interpreter for its first child too.
  const warm = m.warm({ concurrent: true });
  warmed = warm.catch(() => undefined);
  let poll: ReturnType<typeof setInterval> | null = null;
  const oneIdle = new Promise<void>((resolve) => {
    poll = setInterval(() => m.idleWorkers > 0 && resolve(), 25);
  });
  try {
    await Promise.race([warm, oneIdle]);
  } catch (err) {
    m.dispose();
    throw err;
  } finally {
    if (poll !== null) clearInterval(poll);
  }
  warm.catch(() => undefined);
  return portOf(m);
}

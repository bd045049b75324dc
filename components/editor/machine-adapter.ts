/**
 * Maps lib/runtime's browser Machine onto lib/playground's PlaygroundMachine interface.
 * Until the runtime's browser host lands, booting fails with a clear message.
 */
import type { PlaygroundMachine } from "@/lib/playground";

export async function bootBrowserMachine(): Promise<PlaygroundMachine> {
  throw new Error("The Python runtime (lib/runtime) is not available in this build yet.");
}

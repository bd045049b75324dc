/// <reference lib="dom" />
/**
 * The page's side of the relay's browser transport. Without SharedArrayBuffer a process worker
 * blocks in a synchronous request that the site's service worker (public/sw.js) holds
 * (worker/relay-xhr.ts); the page answers it by posting the answer's bytes, under the request's
 * id, to that service worker. So the page must be under the service worker's control before it
 * starts its first worker: a worker's requests go to its page's controller.
 */
export { RELAY_PATH } from "./relay-path";

/** How long to wait for the service worker to take control of the page. */
const CONTROL_TIMEOUT_MS = 20_000;

/**
 * Registers the site's service worker where needed and resolves once it controls this page
 * (its `activate` claims open pages, so no reload is needed). Rejects with the reason where it
 * cannot: no service workers (a private window in some browsers, an insecure origin).
 */
export async function relayController(): Promise<ServiceWorkerContainer> {
  const container = typeof navigator === "undefined" ? undefined : navigator.serviceWorker;
  if (!container) throw new Error("Python needs the site's service worker to run without SharedArrayBuffer, and this page cannot use service workers");
  if (container.controller) return container;
  const controlled = new Promise<void>((resolve) => container.addEventListener("controllerchange", () => resolve(), { once: true }));
  await container.register("/sw.js", { updateViaCache: "none" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      controlled,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("the site's service worker did not take control of the page; reload the page to run Python")), CONTROL_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return container;
}

/** Posts `body` as the answer to the held request `id` (the bytes move: the caller must not keep using them). */
export function postRelayAnswer(container: ServiceWorkerContainer, id: string, body: Uint8Array): void {
  const controller = container.controller;
  if (!controller) throw new Error("the site's service worker no longer controls this page; reload the page to run Python");
  const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer ? body : body.slice();
  controller.postMessage({ type: "relay-answer", id, body: own }, [own.buffer as ArrayBuffer]);
}

/// <reference lib="dom" />
/**
 * The page's side of the relay's browser transport (the seam, ./seam.ts). Without
 * SharedArrayBuffer a process worker blocks in a synchronous request that the site's service
 * worker (public/sw.js) holds (worker/relay-xhr.ts); the page answers it by posting the
 * answer's bytes, under the request's id, to that service worker. So the page must be under
 * the service worker's control before it starts its first worker: a worker's requests go to
 * its page's controller.
 */
import { encodeAnswer, type HostSeam, type SeamAnswer } from "./seam";

/** How long to wait for the service worker to take control of the page. */
const CONTROL_TIMEOUT_MS = 20_000;

/**
 * Registers the site's service worker where needed and resolves once it controls this page
 * (its `activate` claims open pages, so no reload is needed). Rejects with the reason where it
 * cannot: no service workers (a private window in some browsers, an insecure origin).
 */
export async function relayController(): Promise<ServiceWorkerContainer> {
  const container = typeof navigator === "undefined" ? undefined : navigator.serviceWorker;
  if (!container) throw new Error("without SharedArrayBuffer Python needs the site's service worker, and this page cannot use service workers");
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

/** A fresh channel name for one worker (see worker/relay-xhr.ts). */
export function relayChannel(): string {
  return crypto.randomUUID();
}

/** The page's side of one worker's relay channel: the n-th answer completes the worker's n-th request. */
export class ServiceWorkerHostSeam implements HostSeam {
  private n = 0;

  constructor(
    private readonly container: ServiceWorkerContainer,
    private readonly channel: string,
  ) {}

  answer(a: SeamAnswer): void {
    const body = encodeAnswer(a);
    const controller = this.container.controller;
    if (!controller) throw new Error("the site's service worker no longer controls this page; reload the page to run Python");
    controller.postMessage({ type: "relay-answer", id: `${this.channel}.${++this.n}`, body }, [body.buffer as ArrayBuffer]);
  }

  /** HTTP bodies have no size limit: an answer never comes in chunks. */
  more(): boolean {
    return false;
  }
}

/// <reference lib="webworker" />
/**
 * The browser's worker side of the seam (../seam.ts) without SharedArrayBuffer: a process
 * worker posts its request to the page, then makes a synchronous XMLHttpRequest for
 * `RELAY_PATH?id=…`, which the site's service worker (public/sw.js) holds until the page posts
 * the answer for that id (../relay-browser.ts). A synchronous request is the one way a worker
 * can wait for another thread without shared memory; the service worker is what lets the
 * answer come from the page rather than the network.
 *
 * Ids are `<channel>.<n>`: the channel is the worker's own (random, from its boot message, so
 * two tabs sharing the service worker never mix), and n counts this worker's requests. Each
 * request gets exactly one answer, so the page's side counts the same way.
 *
 * The service worker answers 204 after holding a request a while (browsers stop a service
 * worker whose fetch event stays open for minutes): the worker then asks again.
 */
import type { WorkerToHost } from "../protocol";
import { RELAY_PATH } from "../relay-path";
import { decodeAnswer, type SeamAnswer, type WorkerSeam } from "../seam";

export class XhrWorkerSeam implements WorkerSeam {
  private n = 0;
  private readonly base: string;

  /**
   * `XHR`: the constructor, captured by the worker's entry before the lockdown takes it from the
   * scope Python sees. `origin`: the site's origin. `channel`: this worker's id prefix.
   */
  constructor(
    /** Also one-way ops: they reach the page before the next request's message, on the same port. */
    readonly post: (msg: WorkerToHost) => void,
    private readonly XHR: typeof XMLHttpRequest,
    origin: string,
    channel: string,
  ) {
    this.base = `${origin}${RELAY_PATH}?id=${encodeURIComponent(channel)}.`;
  }

  call(msg: WorkerToHost): SeamAnswer {
    const id = this.base + String(++this.n);
    this.post(msg);
    return this.answerOf(id);
  }

  private answerOf(id: string): SeamAnswer {
    for (;;) {
      const xhr = new this.XHR();
      xhr.open("GET", id, false);
      xhr.responseType = "arraybuffer";
      try {
        xhr.send();
      } catch (e) {
        throw new Error(`the relay request failed (${String(e)}): without SharedArrayBuffer Python waits through the site's service worker, which did not answer`);
      }
      if (xhr.status === 200) return decodeAnswer(new Uint8Array(xhr.response as ArrayBuffer));
      if (xhr.status !== 204) {
        throw new Error(`the relay request got HTTP ${xhr.status}: without SharedArrayBuffer Python waits through the site's service worker, and it does not control this page`);
      }
    }
  }
}

/// <reference lib="webworker" />
/**
 * How a process worker blocks in a browser without SharedArrayBuffer: a synchronous
 * XMLHttpRequest for `RELAY_PATH?id=…`, which the site's service worker (public/sw.js) holds
 * until the page posts the answer for that id (../relay-browser.ts). A synchronous request is
 * the one way a worker can wait for another thread without shared memory; the service worker
 * is what lets the answer come from the page rather than the network.
 *
 * The service worker answers 204 after holding a request a while (browsers stop a service
 * worker whose fetch event stays open for minutes): the worker then asks again.
 */
import { RELAY_PATH } from "../relay-path";

export type BlockForAnswer = (id: string) => Uint8Array;

/**
 * `XHR`: the constructor, captured by the worker's entry before the lockdown takes it from the
 * scope Python sees. `origin`: the site's origin (the worker's `location.origin`).
 */
export function xhrBlocker(XHR: typeof XMLHttpRequest, origin: string): BlockForAnswer {
  const base = `${origin}${RELAY_PATH}?id=`;
  return (id: string) => {
    for (;;) {
      const xhr = new XHR();
      xhr.open("GET", base + encodeURIComponent(id), false);
      xhr.responseType = "arraybuffer";
      try {
        xhr.send();
      } catch (e) {
        throw new Error(`the relay request failed (${String(e)}): Python runs here without shared memory, through the site's service worker, which did not answer`);
      }
      if (xhr.status === 200) return new Uint8Array(xhr.response as ArrayBuffer);
      if (xhr.status === 204) continue;
      throw new Error(
        `the relay request got HTTP ${xhr.status}: Python runs here without shared memory, through the site's service worker, and this worker is not under its control`,
      );
    }
  };
}

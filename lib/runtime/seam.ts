/**
 * The seam: the one place a process worker blocks on its host. A worker posts a request (a
 * `WorkerToHost` message: a blocking `syscall`, or in relay mode a `relay` op) and blocks until
 * the host answers it; the host delivers that answer. Nothing else in the worker parks on the
 * host in relay mode (lib/runtime/README.md, "Relay mode").
 *
 * An answer is transport-neutral: `ok` (false: `json` is a KernelErrorData), `json` (the text
 * of a JSON-able value) and optional raw `bytes`. It never names the control block, so another
 * transport can carry it in any body, for example `encodeAnswer` below as an HTTP response.
 *
 * Two implementations of each side:
 * - Node (here): `CtlWorkerSeam` / `CtlHostSeam`, the worker's private control block (banner of
 *   ./protocol.ts): the host writes the answer there and notifies STATE; an answer bigger than
 *   the block crosses in chunks, each asked for by a `reply_more` message.
 * - Browser without SharedArrayBuffer (compatibility mode; it plugs in through the platform's
 *   `relayTransport`, which names one channel per worker in its boot message, and the worker
 *   entry's `WorkerPort.relaySeam`): `XhrWorkerSeam` (worker/relay-xhr.ts) posts the message to
 *   the page and then makes a synchronous XMLHttpRequest to a URL the service worker holds open
 *   until the page hands it the answer, returning `decodeAnswer(body)`; `ServiceWorkerHostSeam`
 *   (./relay-browser.ts) posts `encodeAnswer(a)` to the service worker, which completes the held
 *   request (`more` is never called: HTTP bodies have no size limit). Such a transport cannot
 *   wake the worker while it waits, so it ignores `Parked`: in relay mode nothing needs it.
 */
import type { WorkerToHost } from "./protocol";
import { CTL, CTL_BYTES, CTL_DATA_OFFSET } from "./protocol";
import { parkedWait } from "./worker/kill";

/** What the host answers a blocking request with (see the banner). */
export interface SeamAnswer {
  readonly ok: boolean;
  /** JSON text of the answer's value (a KernelErrorData when !ok). */
  readonly json: string;
  readonly bytes: Uint8Array | null;
}

/**
 * Optional work while parked, for a transport that can wake the worker (Node): `tick` runs
 * whenever `interval()` ms pass with no answer. In normal mode the Queue feeder's backlog and
 * the idle GC use it; a transport that cannot wake simply never calls it.
 */
export interface Parked {
  interval(): number;
  tick(): void;
}

/** Worker side: post `msg` (a blocking syscall or relay op) and block until the host answers it. */
export interface WorkerSeam {
  call(msg: WorkerToHost, parked?: Parked): SeamAnswer;
  /** Posts `msg` without waiting (a one-way relay op): it reaches the host before the next `call`'s. */
  post(msg: WorkerToHost): void;
}

/** Host side, one per worker: deliver the answer to the request that worker is blocked in. */
export interface HostSeam {
  answer(a: SeamAnswer): void;
  /** The worker asked for the next chunk of an answer (`reply_more`): false when none is in progress. */
  more(): boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * An answer as one byte string (for a transport that carries bodies, like HTTP):
 * int32 ok, int32 JSON length, int32 bytes length (−1: none), JSON, bytes (little-endian).
 */
export function encodeAnswer(a: SeamAnswer): Uint8Array {
  const json = encoder.encode(a.json);
  const out = new Uint8Array(12 + json.length + (a.bytes?.length ?? 0));
  const v = new DataView(out.buffer);
  v.setInt32(0, a.ok ? 1 : 0, true);
  v.setInt32(4, json.length, true);
  v.setInt32(8, a.bytes ? a.bytes.length : -1, true);
  out.set(json, 12);
  if (a.bytes) out.set(a.bytes, 12 + json.length);
  return out;
}

export function decodeAnswer(body: Uint8Array): SeamAnswer {
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const jsonLen = v.getInt32(4, true);
  const bytesLen = v.getInt32(8, true);
  return {
    ok: v.getInt32(0, true) === 1,
    json: decoder.decode(body.subarray(12, 12 + jsonLen)),
    bytes: bytesLen < 0 ? null : body.slice(12 + jsonLen, 12 + jsonLen + bytesLen),
  };
}

/** Node's worker side: parks in Atomics.wait on the control block's STATE word. */
export class CtlWorkerSeam implements WorkerSeam {
  private readonly ctl: Int32Array;
  private readonly block: Uint8Array;

  constructor(
    readonly post: (msg: WorkerToHost) => void,
    ctl: SharedArrayBuffer,
  ) {
    this.ctl = new Int32Array(ctl);
    this.block = new Uint8Array(ctl);
  }

  call(msg: WorkerToHost, parked?: Parked): SeamAnswer {
    const c = this.ctl;
    Atomics.store(c, CTL.STATE, 0);
    this.post(msg);
    while (Atomics.load(c, CTL.STATE) === 0) {
      if (!parked) parkedWait(c, c, CTL.STATE, 0);
      else if (parkedWait(c, c, CTL.STATE, 0, parked.interval()) === "timed-out") parked.tick();
    }
    const jsonLen = Atomics.load(c, CTL.JSON_LEN);
    const bytesLen = Atomics.load(c, CTL.BYTES_LEN);
    const total = jsonLen + Math.max(bytesLen, 0);
    const block = this.block;
    const data = total > block.length - CTL_DATA_OFFSET ? this.inChunks(total) : block.subarray(CTL_DATA_OFFSET);
    // TextDecoder refuses views on shared memory: copy out first.
    return { ok: Atomics.load(c, CTL.OK) === 1, json: decoder.decode(data.slice(0, jsonLen)), bytes: bytesLen < 0 ? null : data.slice(jsonLen, total) };
  }

  /** An answer bigger than the control block: copy each chunk out and ask for the next (see ./protocol.ts). */
  private inChunks(total: number): Uint8Array {
    const { ctl: c, block } = this;
    const out = new Uint8Array(total);
    const room = block.length - CTL_DATA_OFFSET;
    for (let got = 0; ; ) {
      const n = Math.min(room, total - got);
      out.set(block.subarray(CTL_DATA_OFFSET, CTL_DATA_OFFSET + n), got);
      got += n;
      if (got === total) return out;
      Atomics.store(c, CTL.STATE, 0);
      this.post({ type: "reply_more" });
      while (Atomics.load(c, CTL.STATE) === 0) parkedWait(c, c, CTL.STATE, 0);
    }
  }
}

/** Node's host side: writes the answer into the worker's control block and notifies STATE. */
export class CtlHostSeam implements HostSeam {
  private readonly ctl: Int32Array;
  private readonly bytes: Uint8Array;
  /** An answer bigger than the control block: JSON + bytes, and how much the worker has been given. */
  private rest: { readonly payload: Uint8Array; sent: number } | null = null;

  constructor(ctl: SharedArrayBuffer) {
    this.ctl = new Int32Array(ctl);
    this.bytes = new Uint8Array(ctl);
  }

  answer(a: SeamAnswer): void {
    const body = encoder.encode(a.json);
    const bytes = a.bytes;
    const room = CTL_BYTES - CTL_DATA_OFFSET;
    const c = this.ctl;
    Atomics.store(c, CTL.OK, a.ok ? 1 : 0);
    Atomics.store(c, CTL.JSON_LEN, body.length);
    Atomics.store(c, CTL.BYTES_LEN, bytes ? bytes.length : -1);
    if (body.length + (bytes?.length ?? 0) <= room) {
      this.bytes.set(body, CTL_DATA_OFFSET);
      if (bytes) this.bytes.set(bytes, CTL_DATA_OFFSET + body.length);
      Atomics.store(c, CTL.STATE, 1);
      Atomics.notify(c, CTL.STATE);
      return;
    }
    const payload = new Uint8Array(body.length + (bytes?.length ?? 0));
    payload.set(body);
    if (bytes) payload.set(bytes, body.length);
    this.rest = { payload, sent: 0 };
    this.more();
  }

  more(): boolean {
    const rest = this.rest;
    if (!rest) return false;
    const n = Math.min(CTL_BYTES - CTL_DATA_OFFSET, rest.payload.length - rest.sent);
    this.bytes.set(rest.payload.subarray(rest.sent, rest.sent + n), CTL_DATA_OFFSET);
    rest.sent += n;
    if (rest.sent === rest.payload.length) this.rest = null;
    Atomics.store(this.ctl, CTL.STATE, 1);
    Atomics.notify(this.ctl, CTL.STATE);
    return true;
  }
}

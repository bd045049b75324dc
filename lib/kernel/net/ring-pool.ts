/**
 * The socket rings of a network: each established TCP connection gets one ring per
 * direction in the shared heap (layout and protocol: ./sock-ring.ts) while the rings' budget
 * and the heap have room; the kernel publishes in each ring's FLAGS what the workers' fast
 * paths may do, frees a ring once no process can touch it, and samples the bytes in flight
 * for `net.bytes` (ring traffic never passes the kernel).
 */
import { RingRx, RX_OK, SOCK_RING_HEADER_BYTES, SockRingOps, TX_OK } from "./sock-ring";
import { type Socket, TcpSocket } from "./sockets";
import type { NetEvent } from "./types";

/** The machine's shared heap, as the network uses it for socket rings. */
export interface RingHeap {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  /** Relay mode: told of every word the kernel wakes (see SharedHeap.onWake). */
  readonly onWake?: ((index: number) => void) | null;
  /** Byte offset of a zeroed block; throws when the heap is full. */
  alloc(bytes: number): number;
  free(offset: number, bytes: number): void;
}

/** How often `net.bytes` is sampled for bytes moving through socket rings (ms). */
export const BYTES_SAMPLE_MS = 100;

/** What the pool needs from its network. */
export interface RingPoolHost {
  socket(id: number): Socket | undefined;
  emit(e: NetEvent): void;
  /** Runs `fn` after `ms` on the network's clock; returns a cancel function. */
  later(ms: number, fn: () => void): () => void;
}

export class RingPool {
  private readonly ops: SockRingOps;
  private readonly rings = new Map<number, RingRx>();
  private bytes = 0;
  /** Cancels the net.bytes sampler (running while any ring exists). */
  private stopSampling: (() => void) | null = null;

  constructor(
    private readonly heap: RingHeap,
    private readonly maxBytes: number,
    private readonly host: RingPoolHost,
  ) {
    // The kernel may run on a page's main thread, which must not Atomics.wait.
    this.ops = new SockRingOps(heap.buffer, false, () => Date.now(), (index) => heap.onWake?.(index));
  }

  /** Heap bytes held by socket rings (for leak tests). */
  get bytesInUse(): number {
    return this.bytes;
  }

  /** Gives a new connection its two rings; without room both keep kernel buffers. */
  connect(a: TcpSocket, b: TcpSocket): void {
    const toA = this.alloc(b, a);
    if (!toA) return;
    const toB = this.alloc(a, b);
    if (!toB) {
      this.drop(toA);
      return;
    }
    a.rx = toA;
    b.tx = toA;
    b.rx = toB;
    a.tx = toB;
    this.sync(a);
    this.sync(b);
    this.startSampling();
  }

  /**
   * Frees `s`'s rings that no process can touch any more: both endpoints are gone or orphaned
   * (no descriptor, no ticket, not waiting to be accepted). An orphan in TIME_WAIT no longer needs its bytes, so its
   * rings do not wait the 60 s with it.
   */
  release(s: TcpSocket): void {
    for (const r of [s.rx, s.tx]) if (r instanceof RingRx) this.releaseRing(r);
  }

  /** Publishes what the workers' fast paths may do on `s`'s rings (RX_OK, TX_OK). */
  sync(s: TcpSocket): void {
    const ops = this.ops;
    const rxOk = !s.finReceived && !s.rdShut && s.soError === 0 && s.state !== "CLOSED" && s.state !== "LISTEN";
    const txOk = s.soError === 0 && !s.wrShut && (s.state === "ESTABLISHED" || s.state === "CLOSE_WAIT") && s.peer !== null && !s.peer.orphan;
    if (s.rx instanceof RingRx && !s.rx.freed) ops.setFlags(s.rx.base, RX_OK, rxOk ? RX_OK : 0);
    if (s.tx && !s.tx.freed) ops.setFlags(s.tx.base, TX_OK, txOk ? TX_OK : 0);
    const peer = s.peer;
    if (peer && peer.tx && !peer.tx.freed && peer !== s) {
      const peerTx = peer.soError === 0 && !peer.wrShut && (peer.state === "ESTABLISHED" || peer.state === "CLOSE_WAIT") && !s.orphan;
      ops.setFlags(peer.tx.base, TX_OK, peerTx ? TX_OK : 0);
    }
  }

  /** The two endpoints of ring `base` (a worker moved bytes through it), or none. */
  endpointsOf(base: number): Socket[] {
    const r = this.rings.get(base);
    if (!r) return [];
    return [r.reader, r.writer].flatMap((id) => this.host.socket(id) ?? []);
  }

  /** Someone is (or no longer is) parked in the kernel on `s`: workers that move bytes must kick. */
  watch(s: TcpSocket, on: boolean): void {
    for (const r of [s.rx, s.tx]) if (r instanceof RingRx && !r.freed) this.ops.setWatch(r.base, on);
  }

  private alloc(writer: TcpSocket, reader: TcpSocket): RingRx | null {
    const cap = reader.rcvbuf + writer.sndbuf;
    const bytes = SOCK_RING_HEADER_BYTES + cap;
    if (this.bytes + bytes > this.maxBytes) return null;
    let offset: number;
    try {
      offset = this.heap.alloc(bytes);
    } catch {
      return null; // heap full: this connection keeps its bytes in the kernel
    }
    this.ops.init(offset >> 2, cap);
    this.bytes += bytes;
    const r = new RingRx(this.ops, offset >> 2, bytes, writer.id, reader.id);
    this.rings.set(r.base, r);
    return r;
  }

  private releaseRing(r: RingRx): void {
    if (r.freed) return;
    for (const id of [r.reader, r.writer]) {
      const s = this.host.socket(id);
      // A connection still in its listener's accept queue has no holder yet, but accept()
      // will hand it out with what the client sent before closing.
      if (s && (s.holders > 0 || (s instanceof TcpSocket && s.listener !== null))) return;
    }
    this.drop(r);
    if (this.rings.size === 0) {
      this.stopSampling?.();
      this.stopSampling = null;
    }
  }

  private drop(r: RingRx): void {
    r.freed = true;
    this.rings.delete(r.base);
    this.bytes -= r.bytes;
    this.heap.free(r.base << 2, r.bytes);
  }

  /** A change of the bytes in a ring since the last sample is reported, every BYTES_SAMPLE_MS. */
  private startSampling(): void {
    if (this.stopSampling) return;
    const tick = (): void => {
      for (const r of this.rings.values()) {
        const n = r.length;
        if (n !== r.reported) {
          r.reported = n;
          this.host.emit({ type: "net.bytes", from: r.writer, to: r.reader, inFlight: n });
        }
      }
      this.stopSampling = this.rings.size > 0 ? this.host.later(BYTES_SAMPLE_MS, tick) : null;
    };
    this.stopSampling = this.host.later(BYTES_SAMPLE_MS, tick);
  }
}

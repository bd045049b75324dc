/**
 * A FIFO of bytes made of the chunks that were sent: `push` keeps one copy, `read` hands
 * out up to n bytes without re-copying more than it returns. One per direction of a TCP
 * connection (the receiver's queue).
 */
const EMPTY = new Uint8Array(0);

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // index of the first live chunk
  private offset = 0; // bytes already consumed from chunks[head]
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Unbounded: only the socket buffer sizes limit what is pushed. */
  get space(): number {
    return Infinity;
  }

  /** Appends a copy of `data` (the sender may reuse its buffer at once, as with send(2)). */
  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data.slice());
    this.size += data.length;
  }

  /** Removes and returns up to `n` bytes; `peek` leaves them in place (MSG_PEEK). */
  read(n: number, peek = false): Uint8Array {
    const want = Math.min(n, this.size);
    const first = this.chunks[this.head];
    if (want === 0) return new Uint8Array(0);
    // Fast path: the reader takes exactly what is left of the first chunk. It is our own
    // copy, so it can be handed out without copying again (the common case for stream echo
    // and bulk transfers: recv(n) with n ≥ what one send delivered).
    if (!peek && this.offset === 0 && first.length === want) {
      this.consumeChunk();
      this.size -= want;
      return first;
    }
    const out = new Uint8Array(want);
    let copied = 0;
    let head = this.head;
    let offset = this.offset;
    while (copied < want) {
      const chunk = this.chunks[head];
      const take = Math.min(chunk.length - offset, want - copied);
      out.set(chunk.subarray(offset, offset + take), copied);
      copied += take;
      offset += take;
      if (offset === chunk.length) {
        head++;
        offset = 0;
      }
    }
    if (!peek) {
      for (let k = head - this.head; k > 0; k--) this.consumeChunk(); // counted: consuming may compact

      this.offset = offset;
      this.size -= want;
    }
    return out;
  }

  /** Drops the first chunk, releasing its memory at once (chunks may be 64 KiB each). */
  private consumeChunk(): void {
    this.chunks[this.head] = EMPTY;
    this.head++;
    this.offset = 0;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.offset = 0;
    this.size = 0;
  }
}

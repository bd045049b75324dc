/**
 * Rights to shared-heap blocks. Python reaches the shared heap only through `_spawnpoint_js`
 * (heap_get/heap_set, rings, semaphores, socket rings), naming places by number; a hostile
 * program could name another program's Queue ring or lock. Every such call first checks that
 * the bytes lie in a block this process's program made or was given: the kernel answers
 * once per block (`heap_rights`), the answer is cached here, and the cache is dropped when
 * any block is freed (the heap's epoch word) or the worker becomes another process.
 */
import { Errno, HEAP_EPOCH_INDEX, RING, RING_HEADER_BYTES, strerror } from "@/lib/kernel";
import type { SyscallChannel } from "./syscall-channel";

/** What Python sees when it names shared memory that is not its program's (EFAULT, as for a bad pointer). */
export class BadAddress extends Error {
  constructor(at: number) {
    super(`[Errno ${Errno.EFAULT}] ${strerror(Errno.EFAULT)}: shared memory at ${at} does not belong to this program`);
    this.name = "OSError";
  }
}

export class Rights {
  /** Allowed [start, end) byte ranges, with the last one hit first. */
  private ranges: [number, number][] = [];
  private epoch = -1;
  private pid = -1;

  constructor(
    private readonly channel: SyscallChannel,
    private readonly heap: Int32Array,
    private readonly currentPid: () => number,
  ) {}

  /** Throws BadAddress unless bytes [at, at + n) lie in one block this program may touch. */
  check(at: number, n: number): void {
    const epoch = Atomics.load(this.heap, HEAP_EPOCH_INDEX);
    const pid = this.currentPid();
    if (epoch !== this.epoch || pid !== this.pid) {
      this.ranges = [];
      this.epoch = epoch;
      this.pid = pid;
    }
    if (!Number.isInteger(at) || !Number.isInteger(n) || at < 0 || n < 0) throw new BadAddress(at);
    for (const r of this.ranges) if (at >= r[0] && at + n <= r[1]) return;
    if (this.channel.call("heap_rights", JSON.stringify({ at }), null) !== 1) throw new BadAddress(at);
    const { offset, size } = JSON.parse(this.channel.replyJson) as { offset: number; size: number };
    if (at + n > offset + size) throw new BadAddress(at);
    this.ranges.unshift([offset, offset + size]);
  }

  /** A queue or pipe ring (int32 index of its header): the header and the data its CAP word claims. */
  ring(base: number): void {
    this.check(base * 4, RING_HEADER_BYTES);
    this.check(base * 4, RING_HEADER_BYTES + Math.max(0, Atomics.load(this.heap, base + RING.CAP)));
  }

  /** A semaphore (int32 index of its 16-byte record) or a socket ring's header. */
  words(index: number, bytes: number): void {
    this.check(index * 4, bytes);
  }
}

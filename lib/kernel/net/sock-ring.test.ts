import { describe, expect, it } from "vitest";
import { SharedHeap } from "../shared-heap";
import { BYTES_SAMPLE_MS, Network } from "./network";
import { FakeTimers, dec, enc, val } from "./testing";
import { RX_OK, SOCK_RING, SockRingOps, TX_OK } from "./sock-ring";
import { SHUT_WR, type NetEvent } from "./types";

function setup() {
  const heap = new SharedHeap(4 << 20);
  const timers = new FakeTimers();
  const net = new Network({ timers, heap });
  const events: NetEvent[] = [];
  net.onEvent((e) => events.push(e));
  // What a worker does: the same byte operations on the same memory.
  const worker = new SockRingOps(heap.buffer, true, () => 0);
  const lfd = val(net.socket(1, "tcp"));
  val(net.bind(1, lfd, "127.0.0.1", 7000));
  val(net.listen(1, lfd, 5));
  const cfd = val(net.socket(2, "tcp"));
  val(net.connect(2, cfd, "127.0.0.1", 7000));
  const sfd = val(net.accept(1, lfd)).fd;
  const client = net.ringsOf(2, cfd);
  const server = net.ringsOf(1, sfd);
  if (!client || !server) throw new Error("no rings");
  return { heap, timers, net, events, worker, lfd, cfd, sfd, client, server };
}

describe("SharedHeap (socket rings are freed)", () => {
  it("should hand out zeroed memory again after a free lowered the top (a queue ring reused the bytes of a socket ring once)", () => {
    const heap = new SharedHeap(1 << 20);
    const u8 = new Uint8Array(heap.buffer);
    const a = heap.alloc(1000);
    const b = heap.alloc(3000);
    u8.fill(0x78, a, b + 3000);
    heap.free(b, 3000);
    heap.free(a, 1000);
    expect(heap.inUse).toBe(8);
    const c = heap.alloc(4000);
    expect(c).toBe(a);
    expect(u8.subarray(c, c + 4000).every((x) => x === 0)).toBe(true);
  });

  it("should reuse a freed block in the middle (first fit) and coalesce neighbours", () => {
    const heap = new SharedHeap(1 << 20);
    const a = heap.alloc(64);
    const b = heap.alloc(64);
    heap.alloc(64);
    heap.free(a, 64);
    heap.free(b, 64);
    expect(heap.alloc(128)).toBe(a);
  });
});

describe("SockRingOps", () => {
  it("should keep bytes in order across the wrap-around, as bytes, text or into a buffer", () => {
    const heap = new SharedHeap(1 << 16);
    const ops = new SockRingOps(heap.buffer, true, () => 0);
    const b = heap.alloc(32 + 10) >> 2;
    ops.init(b, 10);
    expect(ops.push(b, enc("abcdefgh"), 0, 8)).toBe(8);
    expect(dec(ops.read(b, 6, false))).toBe("abcdef");
    expect(ops.push(b, "ijklmnopq", 0, 9)).toBe(8); // only 8 fit (2 unread + 8 = cap)
    expect(ops.used(b)).toBe(10);
    expect(dec(ops.read(b, 3, true))).toBe("ghi"); // peek leaves them
    expect(ops.readText(b, 4)).toBe("ghij");
    const dest = new Uint8Array(10);
    expect(ops.readInto(b, dest, 10)).toBe(6);
    expect(dec(dest.subarray(0, 6))).toBe("klmnop");
    expect(ops.used(b)).toBe(0);
  });

  it("should copy any size at any alignment exactly (word copies in the middle, bytes at the edges)", () => {
    const heap = new SharedHeap(1 << 20);
    const ops = new SockRingOps(heap.buffer, true, () => 0);
    const b = heap.alloc(32 + 70001) >> 2;
    ops.init(b, 70001);
    const backing = new Uint8Array(200003);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 7919 + 13) & 255;
    let sent = 0;
    let got = 0;
    for (let round = 0; round < 80; round++) {
      const size = [1, 7, 63, 64, 65, 1000, 4097, 65536][round % 8];
      const src = backing.subarray(sent % 1000 + (round % 5), sent % 1000 + (round % 5) + size);
      const n = ops.push(b, src, 0, size);
      const dest = new Uint8Array(size + 3).subarray(round % 3);
      const k = round % 2 ? ops.readInto(b, dest, n) : (dest.set(ops.read(b, n, false)), n);
      expect(k).toBe(n);
      expect(Array.from(dest.subarray(0, n))).toEqual(Array.from(src.subarray(0, n)));
      sent += n;
      got += k;
    }
    expect(got).toBe(sent);
  });

  it("should bump SEQ on every change so waiters can re-check", () => {
    const heap = new SharedHeap(1 << 16);
    const ops = new SockRingOps(heap.buffer, true, () => 0);
    const b = heap.alloc(64) >> 2;
    ops.init(b, 32);
    const seq = () => Atomics.load(ops.i32, b + SOCK_RING.SEQ);
    const s0 = seq();
    ops.push(b, "x", 0, 1);
    ops.read(b, 1, false);
    ops.setFlags(b, RX_OK, RX_OK);
    expect(seq()).toBe(s0 + 3);
  });
});

describe("Network with socket rings", () => {
  it("should give both ends of an established connection a ring to read and the peer's to write", () => {
    const { client, server } = setup();
    expect(client.rx).toBeGreaterThan(0);
    expect(client.tx).toBe(server.rx);
    expect(server.tx).toBe(client.rx);
  });

  it("should let the kernel read what a worker wrote into the ring, and the other way round", () => {
    const { net, worker, sfd, client, server } = setup();
    worker.push(client.tx, enc("hello"), 0, 5);
    expect(dec(val(net.recv(1, sfd, 100)))).toBe("hello");
    val(net.send(1, sfd, enc("back")));
    expect(worker.readText(client.rx, 100)).toBe("back");
    expect(worker.used(server.rx)).toBe(0);
  });

  it("should open both flags while established and close them on FIN, so workers ask the kernel", () => {
    const { net, worker, cfd, client, server } = setup();
    expect(worker.flags(client.tx) & TX_OK).toBe(TX_OK);
    expect(worker.flags(server.rx) & RX_OK).toBe(RX_OK);
    val(net.shutdown(2, cfd, SHUT_WR));
    expect(worker.flags(client.tx) & TX_OK).toBe(0); // the client may not write any more
    expect(worker.flags(server.rx) & RX_OK).toBe(0); // the server reads EOF from the kernel
    expect(worker.flags(server.tx) & TX_OK).toBe(TX_OK); // half-close: the other way still works
  });

  it("should close the writer's flag when the reader's process is gone (it must get the RST from the kernel)", () => {
    const { net, worker, client } = setup();
    net.exitProcess(1);
    expect(worker.flags(client.tx) & TX_OK).toBe(0);
  });

  it("should free both rings once no process holds either end, even while one end waits in TIME_WAIT", () => {
    const { heap, net, cfd, sfd, lfd } = setup();
    val(net.close(1, lfd));
    const held = net.ringBytesInUse;
    expect(held).toBeGreaterThan(0);
    val(net.close(2, cfd));
    expect(net.ringBytesInUse).toBe(held); // the server still holds its end
    val(net.close(1, sfd));
    expect(net.ringBytesInUse).toBe(0);
    expect(net.snapshot().map((s) => s.state)).toEqual(["TIME_WAIT"]);
    expect(heap.inUse).toBeLessThan(1024);
  });

  it("should fall back to kernel buffers when the rings' share of the heap is used up", () => {
    const heap = new SharedHeap(4 << 20);
    const net = new Network({ timers: new FakeTimers(), heap, maxRingBytes: 1 << 20 });
    const lfd = val(net.socket(1, "tcp"));
    val(net.bind(1, lfd, "127.0.0.1", 7000));
    val(net.listen(1, lfd, 10));
    const rings = [];
    for (let i = 0; i < 4; i++) {
      const fd = val(net.socket(2, "tcp"));
      val(net.connect(2, fd, "127.0.0.1", 7000));
      rings.push(net.ringsOf(2, fd));
    }
    expect(rings.filter((r) => r && r.rx > 0).length).toBe(2); // 2 × 384 KiB fit in 1 MiB
    expect(rings.filter((r) => r && r.rx === 0).length).toBe(2); // connected, kernel buffers
  });

  it("should wake kernel waiters when a worker kicks a watched ring", () => {
    const { net, worker, sfd, client } = setup();
    const sid = net.sockOf(1, sfd);
    const seen: number[] = [];
    net.onReadiness((id) => seen.push(id));
    net.watch(sid ?? 0, true);
    expect(worker.watched(client.tx)).toBe(true);
    worker.push(client.tx, enc("x"), 0, 1);
    net.kick(client.tx);
    expect(seen).toContain(sid);
  });

  it("should sample bytes in flight through the rings for the event stream", () => {
    const { timers, events, worker, client } = setup();
    worker.push(client.tx, enc("12345"), 0, 5);
    expect(events.filter((e) => e.type === "net.bytes")).toEqual([]);
    timers.advance(BYTES_SAMPLE_MS);
    expect(events.flatMap((e) => (e.type === "net.bytes" ? [e.inFlight] : []))).toEqual([5]);
    worker.read(client.tx, 5, false);
    timers.advance(BYTES_SAMPLE_MS);
    expect(events.flatMap((e) => (e.type === "net.bytes" ? [e.inFlight] : []))).toEqual([5, 0]);
  });
});

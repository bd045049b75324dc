import { describe, expect, it } from "vitest";
import { ByteQueue } from "./byte-queue";

const b = (s: string) => new TextEncoder().encode(s);
const s = (u: Uint8Array) => new TextDecoder().decode(u);

describe("ByteQueue", () => {
  describe("read", () => {
    it("should return bytes in order across chunk boundaries", () => {
      const q = new ByteQueue();
      q.push(b("abc"));
      q.push(b("def"));
      expect(s(q.read(2))).toBe("ab");
      expect(s(q.read(3))).toBe("cde");
      expect(s(q.read(10))).toBe("f");
      expect(q.length).toBe(0);
      expect(q.read(5).length).toBe(0);
    });

    it("should peek without consuming", () => {
      const q = new ByteQueue();
      q.push(b("hello"));
      expect(s(q.read(4, true))).toBe("hell");
      expect(q.length).toBe(5);
      expect(s(q.read(5))).toBe("hello");
    });

    it("should keep its own copy of pushed data", () => {
      const q = new ByteQueue();
      const data = b("xyz");
      q.push(data);
      data[0] = 0x41;
      expect(s(q.read(3))).toBe("xyz");
    });

    it("should stay correct over many whole-chunk and partial reads", () => {
      const q = new ByteQueue();
      let expected = "";
      let got = "";
      for (let i = 0; i < 500; i++) {
        const piece = `${i},`;
        q.push(b(piece));
        expected += piece;
        if (i % 3 === 0) got += s(q.read(i % 7 === 0 ? 1000 : 2));
      }
      got += s(q.read(1 << 20));
      expect(got).toBe(expected);
      expect(q.length).toBe(0);
    });
  });
});

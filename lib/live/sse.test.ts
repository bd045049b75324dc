import { describe, expect, it } from "vitest";
import { SseParser, sseEvent, ssePing, sseRetry, type SseMessage } from "./sse";

describe("SseParser", () => {
  describe("feed", () => {
    it("should read back what the server writes, however the bytes are split", () => {
      const wire =
        sseRetry(1500) +
        sseEvent({ type: "state", seq: 7, state: { slide: 3, steps: { zombie: 2 } } }) +
        ": comment\n\n" +
        ssePing(42) +
        sseEvent({ type: "ended", reason: "expired" });
      for (const size of [1, 3, 17, wire.length]) {
        const got: SseMessage[] = [];
        const parser = new SseParser((m) => got.push(m));
        for (let i = 0; i < wire.length; i += size) parser.feed(wire.slice(i, i + size));
        expect(got.map((m) => m.event)).toEqual(["state", "ping", "ended"]);
        expect(got[0].id).toBe("7");
        expect(JSON.parse(got[0].data)).toEqual({ type: "state", seq: 7, state: { slide: 3, steps: { zombie: 2 } } });
        expect(JSON.parse(got[2].data)).toEqual({ type: "ended", reason: "expired" });
      }
    });

    it("should handle CRLF line endings and multi-line data", () => {
      const got: SseMessage[] = [];
      new SseParser((m) => got.push(m)).feed("event: x\r\ndata: a\r\ndata: b\r\n\r\n");
      expect(got).toEqual([{ id: null, event: "x", data: "a\nb" }]);
    });
  });
});

import { describe, expect, it } from "vitest";
import { decodeShare, encodeShare, ShareDecodeError } from "./share";

describe("share links", () => {
  describe("encodeShare", () => {
    it("should round-trip every file, the entry and the block id", async () => {
      const code = { blockId: "hello world", entry: "server.py", files: { "server.py": "print('hé 你好')\n", "data/t.json": "[1]" } };
      const frag = await encodeShare(code);
      expect(frag).toMatch(/^share=hello%20world~[A-Za-z0-9_-]+$/);
      expect(await decodeShare(`#${frag}`)).toEqual(code);
    });

    it("should carry a step-mode interleaving (token and step count), and ignore hash parts after &", async () => {
      const code = { blockId: "b", entry: "main.py", files: { "main.py": "print(1)\n" }, schedule: { token: "AQAFAgYB", steps: 7 } };
      const frag = await encodeShare(code);
      expect(await decodeShare(`#${frag}&sched-step-b=3`)).toEqual(code);
      expect((await decodeShare(`#${await encodeShare({ ...code, schedule: undefined })}`))?.schedule).toBeUndefined();
    });

    it("should compress repetitive code", async () => {
      const src = "print('x')\n".repeat(500);
      const frag = await encodeShare({ blockId: "a", entry: "main.py", files: { "main.py": src } });
      expect(frag.length).toBeLessThan(src.length / 10);
    });
  });

  describe("decodeShare", () => {
    it("should return null for a fragment that is not a share link", async () => {
      expect(await decodeShare("#intro")).toBeNull();
      expect(await decodeShare("")).toBeNull();
    });

    it("should throw ShareDecodeError for a damaged link", async () => {
      await expect(decodeShare("#share=a~!!notbase64")).rejects.toBeInstanceOf(ShareDecodeError);
      await expect(decodeShare("#share=a")).rejects.toBeInstanceOf(ShareDecodeError);
    });
  });
});

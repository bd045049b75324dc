import { describe, expect, it } from "vitest";
import { downloadWithProgress, formatProgress } from "./download";

function fakeFetch(sizes: Record<string, number>, withLength: boolean): typeof fetch {
  return (async (url: string | URL | Request) => {
    const n = sizes[String(url)];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < n; i += 100) c.enqueue(new Uint8Array(Math.min(100, n - i)));
        c.close();
      },
    });
    return new Response(body, { headers: withLength ? { "content-length": String(n) } : {} });
  }) as typeof fetch;
}

describe("downloadWithProgress", () => {
  it("should count bytes of every asset up to the exact total", async () => {
    const seen: [number, number][] = [];
    await downloadWithProgress([{ url: "a", approxBytes: 1 }, { url: "b", approxBytes: 1 }], (l, t) => seen.push([l, t]), new AbortController().signal, fakeFetch({ a: 450, b: 250 }, true));
    expect(seen.at(-1)).toEqual([700, 700]);
    expect(seen.every(([l, t]) => l <= t)).toBe(true);
  });

  it("should fall back to the approximate size when there is no Content-Length", async () => {
    const seen: [number, number][] = [];
    await downloadWithProgress([{ url: "a", approxBytes: 1000 }], (l, t) => seen.push([l, t]), new AbortController().signal, fakeFetch({ a: 300 }, false));
    expect(seen[1]).toEqual([100, 1000]);
    expect(seen.at(-1)).toEqual([300, 300]);
  });
});

describe("formatProgress", () => {
  it("should show bytes and percent", () => {
    expect(formatProgress(3 * 1024 * 1024, 12 * 1024 * 1024)).toBe("3.0 MB of 12.0 MB (25%)");
  });
});

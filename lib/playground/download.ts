/**
 * Downloads files with a streaming reader so the progress bar can count bytes. The bytes
 * land in the HTTP cache, so the runtime's own fetches of the same URLs are then served
 * locally. Content-Length may be missing (compressed responses): the expected sizes passed
 * in are the fallback total.
 */
export interface Asset {
  url: string;
  /** Approximate size in bytes, used when the server sends no Content-Length. */
  approxBytes: number;
}

export async function downloadWithProgress(
  assets: readonly Asset[],
  onProgress: (loaded: number, total: number) => void,
  signal: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const sizes = assets.map((a) => a.approxBytes);
  const loaded = assets.map(() => 0);
  const report = () => onProgress(sum(loaded), Math.max(sum(sizes), sum(loaded)));
  report();
  await Promise.all(
    assets.map(async (asset, i) => {
      const res = await fetchImpl(asset.url, { signal });
      if (!res.ok) throw new Error(`Could not download ${asset.url}: HTTP ${res.status}`);
      const len = Number(res.headers.get("content-length"));
      if (len > 0) sizes[i] = len;
      if (!res.body) {
        loaded[i] = (await res.arrayBuffer()).byteLength;
        report();
        return;
      }
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        loaded[i] += value.byteLength;
        report();
      }
      sizes[i] = loaded[i];
      report();
    }),
  );
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** "3.1 MB of 12.4 MB (25%)" */
export function formatProgress(loaded: number, total: number): string {
  const pct = total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
  return `${formatBytes(loaded)} of ${formatBytes(total)} (${pct}%)`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} kB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

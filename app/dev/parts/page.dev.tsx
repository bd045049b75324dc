import type { Metadata } from "next";
import { PartsFixture } from "./PartsFixture";

export const metadata: Metadata = { title: "Boot parts fixture", robots: { index: false } };

/**
 * Fixture for bench/webkit.bench.ts's parts of a boot: a same-origin worker (the site's CSP,
 * worker-src 'self', refuses blob: workers) that the bench starts, posts the compiled
 * module to, and pairs with another for Atomics round trips.
 */
export default function DevPartsPage() {
  return (
    <main className="mx-auto max-w-3xl px-3 py-6">
      <h1 className="text-xl font-semibold">Boot parts fixture</h1>
      <PartsFixture />
    </main>
  );
}

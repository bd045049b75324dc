import type { Metadata } from "next";
import { RuntimeFixture } from "./RuntimeFixture";

export const metadata: Metadata = { title: "Runtime fixture", robots: { index: false } };

/** Fixture for tests/e2e/runtime.spec.ts: runs a multi-process program on the browser Machine. */
export default function DevRuntimePage() {
  return (
    <main className="mx-auto max-w-3xl px-3 py-6">
      <h1 className="text-xl font-semibold">Runtime fixture</h1>
      <RuntimeFixture />
    </main>
  );
}

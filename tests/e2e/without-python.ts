import type { BrowserContext, Page } from "@playwright/test";

/**
 * For tests about pages, not Python: a lesson page starts booting its interpreters once the
 * browser is idle after load (lib/playground/when-idle.ts, through requestIdleCallback), which
 * keeps a core busy for seconds per load on these 2 cores and slows every test running next to
 * it. In `target` (a page, or every page of a context) idle callbacks never run, so nothing
 * boots. The editor, lesson, curriculum and browser specs cover the boot.
 */
export async function withoutPython(target: Page | BrowserContext): Promise<void> {
  await target.addInitScript(() => {
    window.requestIdleCallback = () => 0;
  });
}

"use client";

import { useEffect, useState } from "react";
import type { Locale } from "@/lib/content/locales";
import { t } from "./i18n";

type Status = { kind: "saving"; percent: number } | { kind: "ready" } | { kind: "failed"; error: string };

const STATIC = process.env.NEXT_PUBLIC_SPAWNPOINT_STATIC === "1";

/**
 * The static export's offline badge (public/sw.js does the saving). On each page load it takes
 * an update that is already saved whole (one reload, before the reader starts), asks the worker
 * to save what this build still lacks, and shows how far that got: "Available offline" once
 * every page, script and Pyodide file is on the device. A server build renders nothing.
 */
export function OfflineStatus({ locale }: { locale: Locale }) {
  const [status, setStatus] = useState<Status | null>(null);

  useEffect(() => {
    const sw = STATIC && typeof navigator !== "undefined" ? navigator.serviceWorker : undefined;
    if (!sw) return;
    let cancelled = false;
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: string; done?: number; total?: number; ready?: boolean; error?: string };
      if (cancelled) return;
      if (data.type === "offline-progress" && data.total) setStatus({ kind: "saving", percent: Math.floor(((data.done ?? 0) * 100) / data.total) });
      else if (data.type === "offline-status" && data.ready) setStatus({ kind: "ready" });
      else if (data.type === "offline-status" && data.error) setStatus({ kind: "failed", error: data.error });
      else if (data.type === "offline-status") {
        setStatus({ kind: "saving", percent: 0 });
        sw.controller?.postMessage({ type: "offline-save" });
      }
    };
    sw.addEventListener("message", onMessage);
    void sw.ready.then((registration) => {
      if (cancelled) return;
      // A newer build, saved whole while the old one served: take it now, on load.
      if (registration.waiting && sw.controller && crossOriginIsolated) {
        sw.addEventListener("controllerchange", () => location.reload(), { once: true });
        registration.waiting.postMessage({ type: "skip-waiting" });
        return;
      }
      sw.controller?.postMessage({ type: "offline-status" });
      // Look for a newer build on every visit (browsers may skip the check for a day): it saves itself
      // whole in the background and is taken on a later load, above.
      registration.update().catch(() => undefined);
    });
    return () => {
      cancelled = true;
      sw.removeEventListener("message", onMessage);
    };
  }, []);

  if (!status) return null;
  const s = t(locale);
  const text = status.kind === "ready" ? s.offlineReady : status.kind === "saving" ? s.offlineSaving(status.percent) : s.offlineFailed;
  const title = status.kind === "ready" ? s.offlineReadyHint : status.kind === "failed" ? status.error : undefined;
  return (
    <span className="offline-status" data-state={status.kind} data-testid="offline-status" title={title} role="status">
      {text}
    </span>
  );
}

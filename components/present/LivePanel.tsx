"use client";

import QRCode from "qrcode";
import { useEffect, useState } from "react";
import type { DriverStatus } from "./live-driver";
import type { PresentStrings } from "./strings";
import type { SharedLiveSession } from "./sync";

interface LivePanelProps {
  s: PresentStrings;
  live: SharedLiveSession | null;
  status: DriverStatus | null;
  onStart: () => Promise<void>;
  onEnd: () => Promise<void>;
  /** False in the presenter's previews: show the code, but no buttons. */
  interactive: boolean;
}

/** Title-slide box: start a live session, then the join code, link and QR code, big enough to read from the back row. */
export function LivePanel({ s, live, status, onStart, onEnd, interactive }: LivePanelProps) {
  const [qr, setQr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!live) return;
    let cancelled = false;
    // An SVG string from our own generator (no user markup in it): crisp at any projector size.
    QRCode.toString(live.joinUrl, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } }).then(
      (url) => !cancelled && setQr(url),
      () => !cancelled && setQr(null),
    );
    return () => {
      cancelled = true;
    };
  }, [live]);

  if (!live) {
    if (!interactive) return null;
    if (process.env.NEXT_PUBLIC_SPAWNPOINT_STATIC === "1")
      return (
        <div className="present-live present-live-start">
          <p className="present-live-hint">{s.liveNeedsServer}</p>
        </div>
      );
    return (
      <div className="present-live present-live-start">
        <button
          type="button"
          className="present-button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await onStart();
            } catch (e) {
              setError(s.liveError(e instanceof Error ? e.message : String(e)));
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? s.starting : s.startLive}
        </button>
        <p className="present-live-hint">{s.studentsRunNothing}</p>
        {error && <p role="alert">{error}</p>}
      </div>
    );
  }

  const url = new URL(live.joinUrl);
  const shortUrl = `${url.host}/${url.pathname.split("/")[1]}/join`;
  // Students' devices cannot open the instructor's localhost.
  const local = /^(localhost|127\.|\[::1\])/.test(url.hostname);
  return (
    <div className="present-live" data-testid="live-panel">
      <p className="present-live-heading">{s.liveJoin}</p>
      <div className="present-live-row">
        {qr && <div className="present-qr" role="img" aria-label={`${s.scanToJoin}: ${live.joinUrl}`} data-testid="join-qr" dangerouslySetInnerHTML={{ __html: qr }} />}
        <div>
          <p className="present-live-label">{s.joinCode}</p>
          <p className="present-code" data-testid="join-code">
            {live.code}
          </p>
          <p className="present-live-label">{s.joinAt}</p>
          <a className="present-join-url" href={live.joinUrl} data-testid="join-url">
            {shortUrl}
          </a>
          {local && interactive && <p className="present-live-warning">{s.localhostWarning}</p>}
        </div>
      </div>
      {status?.kind === "retrying" && <p role="status">{s.liveReconnecting}</p>}
      {interactive && (
        <button type="button" className="present-button present-button-quiet" onClick={() => void onEnd()}>
          {s.endLive}
        </button>
      )}
    </div>
  );
}

"use client";

/**
 * Where a presentation is: the slide (`?slide=N`, the URL is the source of truth) and the
 * zoom (stored per browser; the site's prose is in rem, so the root font size is the type
 * size and zoom scales it).
 */
import { useCallback, useEffect, useRef, useSyncExternalStore, type RefObject } from "react";
import { readSlide, readZoom, subscribeUrl, subscribeZoom, writeSlide } from "./url-state";

export interface SlideNav {
  /** The slide shown (server render: the title slide). */
  index: number;
  /** The same, for event handlers (written only by `go` and after renders). */
  indexRef: RefObject<number>;
  /** Shows slide `target` (clamped to the deck) and returns the index shown. */
  go(target: number): number;
}

export function useSlideNav(total: number): SlideNav {
  const clamp = useCallback((i: number) => Math.max(0, Math.min(total - 1, i)), [total]);
  const index = clamp(useSyncExternalStore(subscribeUrl, readSlide, () => 0));
  const indexRef = useRef(index);
  useEffect(() => {
    indexRef.current = index;
  }, [index]);

  const go = useCallback(
    (target: number) => {
      const i = clamp(target);
      indexRef.current = i;
      writeSlide(i);
      return i;
    },
    [clamp],
  );

  const zoom = useSyncExternalStore(subscribeZoom, readZoom, () => 1);
  useEffect(() => {
    const root = document.documentElement;
    root.style.setProperty("--present-zoom", String(zoom));
    return () => void root.style.removeProperty("--present-zoom");
  }, [zoom]);

  return { index, indexRef, go };
}

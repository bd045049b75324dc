"use client";

/**
 * The presentation's keys (keyboard.ts maps a key to an action): next/previous/first/last,
 * a typed slide number + Enter, fullscreen, zoom, S for the presenter window, Esc to leave.
 * Returns the half-typed slide number (forgotten after a pause).
 */
import { useEffect, useState } from "react";
import { actionForKey, isTypingTarget } from "./keyboard";
import { changeZoom } from "./url-state";

export interface PresentKeysOptions {
  total: number;
  indexRef: { readonly current: number };
  /** A move the reader asked for. */
  go: (index: number) => void;
  mode: "audience" | "presenter";
  following: boolean;
  openPresenter: () => void;
  /** Where Esc goes in the audience window. */
  readingUrl: string;
}

export function usePresentKeys({ total, indexRef, go, mode, following, openPresenter, readingUrl }: PresentKeysOptions): string {
  const [digits, setDigits] = useState("");

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      const action = actionForKey(e, digits !== "");
      if (!action) return;
      e.preventDefault();
      switch (action.type) {
        case "next":
          return go(indexRef.current + 1);
        case "previous":
          return go(indexRef.current - 1);
        case "first":
          return go(0);
        case "last":
          return go(total - 1);
        case "digit":
          return setDigits((d) => (d + action.digit).slice(-4));
        case "jump":
          go(Number(digits) - 1);
          return setDigits("");
        case "cancel":
          return setDigits("");
        case "fullscreen":
          if (document.fullscreenElement) void document.exitFullscreen();
          else void document.documentElement.requestFullscreen?.().catch(() => {});
          return;
        case "zoom":
          return changeZoom(action.by);
        case "presenter":
          if (mode === "audience" && !following) openPresenter();
          return;
        case "exit":
          if (mode === "presenter") window.close();
          else window.location.assign(readingUrl);
          return;
      }
    };
    window.addEventListener("keydown", onKey);
    // Lets tests (and assistive tooling) know the keys work: before hydration a key press is lost.
    document.documentElement.dataset.presentKeys = "ready";
    return () => {
      window.removeEventListener("keydown", onKey);
      delete document.documentElement.dataset.presentKeys;
    };
  }, [digits, go, indexRef, total, mode, following, openPresenter, readingUrl]);

  useEffect(() => {
    if (!digits) return;
    const t = setTimeout(() => setDigits(""), 2500);
    return () => clearTimeout(t);
  }, [digits]);

  return digits;
}

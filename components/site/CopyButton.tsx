"use client";

import { useEffect, useRef, useState } from "react";

export interface CopyButtonProps {
  /** The exact text to put on the clipboard (the source, not the highlighted HTML). */
  text: string;
  label: string;
  copiedLabel: string;
  ariaLabel: string;
}

/** Copies `text`; announces success through a polite live region. */
export function CopyButton({ text, label, copiedLabel, ariaLabel }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard access can be denied (insecure context, permissions): fall back to a selection copy.
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    setCopied(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(false), 1500);
  }

  return (
    <button type="button" onClick={copy} aria-label={ariaLabel} className="copy-button">
      <span aria-live="polite">{copied ? copiedLabel : label}</span>
    </button>
  );
}

"use client";

/**
 * An xterm.js view of a TerminalSink. xterm is imported on mount only (it must never be in
 * a lesson page's first-load JavaScript). Screen readers get a visually hidden live log of
 * the last lines instead of xterm's per-row accessibility tree, which is costly when a
 * program prints thousands of lines.
 */
import { useEffect, useRef } from "react";
import "@xterm/xterm/css/xterm.css";
import { TERMINAL_SCROLLBACK } from "@/lib/playground";
import type { TerminalSink } from "./sink";
import { useSiteTheme } from "@/components/editor/use-site-theme";

export interface TerminalProps {
  sink: TerminalSink;
  /** Accessible name of the terminal region. Default "Terminal". */
  label?: string;
  /** Height in CSS pixels. Default 220. */
  height?: number;
}

const THEMES = {
  light: { background: "#f6f8fa", foreground: "#1f2328", cursor: "#1f2328", selectionBackground: "#0969da40" },
  dark: { background: "#161b22", foreground: "#e6edf3", cursor: "#e6edf3", selectionBackground: "#388bfd66" },
} as const;

export function Terminal({ sink, label = "Terminal", height = 220 }: TerminalProps) {
  const host = useRef<HTMLDivElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const theme = useSiteTheme();
  const themeRef = useRef(theme);
  const termRef = useRef<{ options: { theme?: object } } | null>(null);

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    void (async () => {
      const [{ Terminal: XTerm }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !host.current) return;
      const term = new XTerm({
        convertEol: true,
        fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
        fontSize: 13,
        lineHeight: 1.2,
        scrollback: TERMINAL_SCROLLBACK,
        cursorBlink: false,
        // Readable text whatever colours a program prints (WCAG AA).
        minimumContrastRatio: 4.5,
        theme: THEMES[themeRef.current],
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(host.current);
      // xterm's hidden textarea is what receives keys: name it after the terminal.
      term.textarea?.setAttribute("aria-label", `${label} input`);
      fit.fit();
      termRef.current = term;
      const detach = sink.attach(term, log.current);
      const data = term.onData((d) => sink.input(d));
      const ro = new ResizeObserver(() => {
        try {
          fit.fit();
        } catch {
          // Hidden (display: none) terminals cannot be measured; fit again when shown.
        }
      });
      ro.observe(host.current);
      cleanup = () => {
        ro.disconnect();
        data.dispose();
        detach();
        term.dispose();
        termRef.current = null;
      };
    })();
    return () => {
      disposed = true;
      cleanup();
    };
  }, [sink, label]);

  useEffect(() => {
    themeRef.current = theme;
    if (termRef.current) termRef.current.options.theme = THEMES[theme];
  }, [theme]);

  return (
    <section aria-label={label} className="sp-terminal relative overflow-hidden" style={{ height, background: THEMES[theme].background }}>
      <div ref={host} className="h-full w-full px-2 py-1" onClick={() => host.current?.querySelector("textarea")?.focus()} />
      <div ref={log} role="log" aria-live="polite" aria-label={`${label} output`} className="sr-only whitespace-pre" />
    </section>
  );
}

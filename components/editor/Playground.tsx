"use client";

import { useId, useState, type ReactNode } from "react";
import type { Locale } from "@/lib/content/locales";
import { CopyButton } from "@/components/site/CopyButton";
import { OutputBlock } from "@/components/site/OutputBlock";
import { t } from "@/components/site/i18n";

/** One file of a multi-file example: ```` ```python file=server.py ```` inside `<Playground>`. */
export interface PlaygroundFile {
  /** Path inside the simulated file system, e.g. `server.py` or `data/tickets.json`. */
  name: string;
  /** Fence language (python, json, …). */
  lang: string;
  /** Original source text. */
  code: string;
  /** shiki HTML for `code`, built at build time. */
  html: string;
}

/**
 * Props of `<Playground run="server.py">…</Playground>`, filled in at build time by
 * lib/content/remark-lesson.ts (authors only write `run`, optional `id`/`title`, and the
 * fenced blocks). KEEP THIS CONTRACT STABLE: lessons compile against it.
 */
export interface PlaygroundProps {
  /** `id` attribute, else `playground-1`, `playground-2`, … in page order. */
  id: string;
  title?: string;
  /** Entry file to run; always one of `files` (checked at build). */
  run: string;
  /** Files in the order written. */
  files: PlaygroundFile[];
  /** A ```` ```output ```` block inside the Playground, if any. */
  expectedOutput?: string;
  unordered: boolean;
  locale: Locale;
  /** Any other MDX content written inside the Playground (rendered under the files). */
  children?: ReactNode;
}

/**
 * First version: static tabs over the highlighted files (WAI-ARIA tabs pattern), the
 * expected output and any extra content. The live editor (issue 5) makes it runnable.
 */
export function Playground({ id, title, run, files, expectedOutput, unordered, locale, children }: PlaygroundProps) {
  const s = t(locale);
  const baseId = useId();
  const [active, setActive] = useState(() => Math.max(0, files.findIndex((f) => f.name === run)));
  const current = files[active];

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    const delta = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const nextIndex = (active + delta + files.length) % files.length;
    setActive(nextIndex);
    document.getElementById(`${baseId}-tab-${nextIndex}`)?.focus();
  }

  return (
    <section className="playground" aria-label={title ?? s.runnableExample} data-example-id={id} data-run={run}>
      <div className="code-block" data-lang={current?.lang}>
        <div className="code-block-bar">
          <div role="tablist" aria-label={s.files} className="playground-tabs" onKeyDown={onKeyDown}>
            {files.map((file, index) => (
              <button
                key={file.name}
                id={`${baseId}-tab-${index}`}
                type="button"
                role="tab"
                aria-selected={index === active}
                aria-controls={`${baseId}-panel`}
                tabIndex={index === active ? 0 : -1}
                className="playground-tab"
                onClick={() => setActive(index)}
              >
                {file.name}
              </button>
            ))}
          </div>
          {current && <CopyButton text={current.code} label={s.copy} copiedLabel={s.copied} ariaLabel={s.copyCode} />}
        </div>
        {current && (
          <div
            id={`${baseId}-panel`}
            role="tabpanel"
            aria-labelledby={`${baseId}-tab-${active}`}
            className="code-block-body"
            dangerouslySetInnerHTML={{ __html: current.html }}
          />
        )}
      </div>
      {expectedOutput !== undefined && <OutputBlock text={expectedOutput} unordered={unordered} locale={locale} />}
      {children}
    </section>
  );
}

"use client";

import { placeholderParts } from "@/lib/lessons";
import "./lesson.css";

const HELP = {
  en: { number: "a number that differs from run to run", labelled: "a number that differs from run to run (the same wherever this label appears)", any: "any text", lines: "any number of lines" },
  zh: { number: "每次运行都可能不同的数字", labelled: "每次运行都可能不同的数字（同一标签处的值相同）", any: "任意文本", lines: "任意多行" },
};

/**
 * Expected output with its placeholders (`{pid}`, `{pid:a}`, `…`; see lib/lessons/output.ts)
 * set apart from the literal text, each with a tooltip saying what it stands for.
 */
export function ExpectedOutputText({ text, locale }: { text: string; locale: string }) {
  const h = locale === "zh" ? HELP.zh : HELP.en;
  const lines = text.split("\n");
  return (
    <>
      {lines.map((line, i) => (
        <span key={i}>
          {line.trim() === "…" ? (
            <span className="sp-placeholder" title={h.lines}>
              {line}
            </span>
          ) : (
            placeholderParts(line).map((part, j) =>
              part.placeholder ? (
                <span key={j} className="sp-placeholder" title={part.text === "…" ? h.any : part.text.includes(":") ? h.labelled : h.number}>
                  {part.text}
                </span>
              ) : (
                part.text
              ),
            )
          )}
          {i < lines.length - 1 ? "\n" : null}
        </span>
      ))}
    </>
  );
}

"use client";

import { useId, useState, type ReactNode } from "react";
import "./lesson.css";
import { lessonStrings } from "./strings";

export interface PredictProps {
  /** The question; children are used when it is missing. */
  question?: string;
  /** Possible outputs or statements; multi-line text is shown as code. */
  choices?: string[];
  /**
   * Index of the right choice, or the indexes of every right choice when several
   * outputs can happen (the reader then selects all of them).
   */
  answer?: number | number[];
  /** Shown once the reader has answered (or asked for the answer). */
  explanation?: string;
  title?: string;
  locale: string;
  children?: ReactNode;
}

const isCode = (choice: string) => choice.includes("\n") || /^[\w.]+(\(|:)|^\S+ -> /.test(choice);

/**
 * `<Predict>`: asks the reader to commit to a guess before running an example. With
 * `choices`, the reader picks one (or, when `answer` is a list, every output that can
 * happen) and gets the verdict and the explanation; without, it is a plain prompt box.
 */
export function Predict({ question, choices, answer, explanation, title, locale, children }: PredictProps) {
  const s = lessonStrings(locale);
  const label = title ?? s.predict;
  const multi = Array.isArray(answer);
  const right = new Set(Array.isArray(answer) ? answer : answer === undefined ? [] : [answer]);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [verdict, setVerdict] = useState<"correct" | "incorrect" | "shown" | null>(null);
  const name = useId();

  const judge = (selection: Set<number>) => {
    const ok = selection.size === right.size && [...selection].every((i) => right.has(i));
    setVerdict(ok ? "correct" : "incorrect");
  };

  const choose = (i: number) => {
    if (verdict === "correct" || verdict === "shown") return;
    if (multi) {
      const next = new Set(picked);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      setPicked(next);
      setVerdict(null);
    } else {
      const next = new Set([i]);
      setPicked(next);
      judge(next);
    }
  };

  const finished = verdict === "correct" || verdict === "shown";

  return (
    <section className="pedagogy" data-kind="predict" aria-label={label}>
      <p className="pedagogy-title">{label}</p>
      <div>
        {question ? <p>{question}</p> : children}
        {choices && choices.length > 0 ? (
          <fieldset className="mt-3 border-0 p-0">
            <legend className="sr-only">{question ?? label}</legend>
            {multi ? <p className="text-sm text-[var(--fg-muted)]">{s.predictMulti}</p> : null}
            <ul className="sp-choices mt-2 grid gap-2">
              {choices.map((choice, i) => {
                const selected = picked.has(i);
                const reveal = finished || (verdict === "incorrect" && !multi && selected);
                const state = reveal ? (right.has(i) ? "right" : selected ? "wrong" : "other") : selected ? "selected" : "other";
                return (
                  <li key={i}>
                    <label
                      data-state={state}
                      className={
                        "flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 " +
                        (state === "right"
                          ? "border-[var(--tip)] bg-[var(--bg)]"
                          : state === "wrong"
                            ? "border-[var(--warn)] bg-[var(--bg)]"
                            : state === "selected"
                              ? "border-[var(--accent)] bg-[var(--bg)]"
                              : "border-[var(--border)] bg-[var(--bg)]")
                      }
                    >
                      <input
                        type={multi ? "checkbox" : "radio"}
                        name={name}
                        className="mt-1"
                        checked={selected}
                        disabled={finished}
                        onChange={() => choose(i)}
                      />
                      {isCode(choice) ? (
                        <pre className="m-0 whitespace-pre-wrap bg-transparent p-0 font-mono text-sm">{choice}</pre>
                      ) : (
                        <span>{choice}</span>
                      )}
                      {reveal && right.has(i) ? <span aria-hidden="true" className="ml-auto text-[var(--tip)]">✓</span> : null}
                    </label>
                  </li>
                );
              })}
            </ul>
            <div className="mt-3 flex flex-wrap items-center gap-2">
              {multi && !finished ? (
                <button type="button" className="sp-btn" onClick={() => judge(picked)} disabled={picked.size === 0}>
                  {s.check}
                </button>
              ) : null}
              {!finished ? (
                <button type="button" className="sp-btn sp-btn-quiet" onClick={() => setVerdict("shown")}>
                  {s.showAnswer}
                </button>
              ) : null}
            </div>
            <div aria-live="polite" className="mt-2">
              {verdict === "correct" ? <p className="font-semibold text-[var(--tip)]">{s.correct}</p> : null}
              {verdict === "incorrect" ? <p className="font-semibold text-[var(--warn)]">{s.incorrect}</p> : null}
              {finished && explanation ? <p>{explanation}</p> : null}
            </div>
          </fieldset>
        ) : null}
      </div>
    </section>
  );
}

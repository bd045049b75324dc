"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { LiveApiError, liveApi, normalizeJoinCode } from "@/lib/live";
import type { Locale } from "@/lib/content/locales";

const TEXT = {
  en: {
    title: "Join a class",
    lead: "Type the code your instructor shows.",
    label: "Join code",
    join: "Join",
    joining: "Joining…",
    malformed: "A join code is 7 letters and digits, like PQF5KW3.",
    notFound: "There is no live session with this code (it may have ended).",
    limited: (s: number) => `Too many attempts. Try again in ${s} s.`,
    unreachable: "Cannot reach the server. Check your connection and try again.",
  },
  zh: {
    title: "加入课堂",
    lead: "输入老师展示的加入码。",
    label: "加入码",
    join: "加入",
    joining: "正在加入…",
    malformed: "加入码由 7 个字母和数字组成，例如 PQF5KW3。",
    notFound: "没有使用这个加入码的课堂直播（可能已经结束）。",
    limited: (s: number) => `尝试次数过多，请 ${s} 秒后再试。`,
    unreachable: "无法连接服务器。请检查网络后重试。",
  },
} as const;

/** `/<lang>/join`: a student types the code from the projector and lands on the instructor's slide. */
export function JoinForm({ lang }: { lang: Locale }) {
  const t = TEXT[lang];
  const router = useRouter();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const normal = normalizeJoinCode(code);
    if (!normal) return setError(t.malformed);
    setBusy(true);
    setError(null);
    try {
      const session = await liveApi.lookup(normal);
      router.push(`/${session.lesson.lang}/${session.lesson.slug}/present?join=${session.code}`);
    } catch (err) {
      setBusy(false);
      if (err instanceof LiveApiError && err.status === 404) setError(t.notFound);
      else if (err instanceof LiveApiError && err.status === 429) setError(t.limited(30));
      else setError(t.unreachable);
    }
  };

  return (
    <main id="main" className="join-page">
      <form onSubmit={submit} className="join-form">
        <h1>{t.title}</h1>
        <p>{t.lead}</p>
        <label htmlFor="join-code">{t.label}</label>
        <input
          id="join-code"
          name="code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          inputMode="text"
          maxLength={12}
          placeholder="PQF5KW3"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "join-error" : undefined}
        />
        <button type="submit" className="present-button" disabled={busy}>
          {busy ? t.joining : t.join}
        </button>
        {error && (
          <p id="join-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

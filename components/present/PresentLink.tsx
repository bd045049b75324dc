import type { Locale } from "@/lib/content/locales";

const LABEL: Record<Locale, { text: string; title: string }> = {
  en: { text: "Present", title: "Present this lesson as slides (projector, presenter notes, live class session)" },
  zh: { text: "演示", title: "以幻灯片演示本课（投影、演讲者备注、课堂直播）" },
};

/** Entry point to a lesson's presentation, for the lesson page's header (server component, no JS). */
export function PresentLink({ lang, slug, className }: { lang: Locale; slug: string; className?: string }) {
  const l = LABEL[lang];
  return (
    <a href={`/${lang}/${slug}/present`} className={className ?? "present-link-entry"} title={l.title} data-testid="present-link">
      <span aria-hidden="true">▶ </span>
      {l.text}
    </a>
  );
}

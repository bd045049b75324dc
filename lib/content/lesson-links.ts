/**
 * Links between lessons: authors write the natural link between .mdx files
 * (`../07-orphans#anchor`), readers need the URL (`/<locale>/orphans#anchor`). A link that
 * leads nowhere fails the compile naming the file and line.
 */
import type { Definition, Link } from "mdast";
import type { VFile } from "vfile";
import { LOCALES, type Locale } from "./locales";

/** The course, as the lesson links need it. */
export interface LessonLinks {
  /** This lesson's slug. */
  slug: string;
  lessons: ReadonlyArray<{ dir: string; slug: string }>;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Rewrites a lesson-folder link to its URL and fails on links that lead nowhere. */
export function resolveLink(node: Link | Definition, links: LessonLinks, locale: Locale, headingIds: ReadonlySet<string>, file: VFile): void {
  const url = node.url;
  if (EXTERNAL.test(url)) return;
  const hashAt = url.indexOf("#");
  const pathPart = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? "" : url.slice(hashAt);
  if (pathPart === "") {
    const id = decodeURIComponent(hash.slice(1));
    if (id && !headingIds.has(id) && !id.startsWith("user-content-")) file.fail(`link "${url}" points to no heading in this file`, node);
    return;
  }
  const bySlug = (slug: string) => links.lessons.find((l) => l.slug === slug);
  if (pathPart.startsWith("/")) {
    const parts = pathPart.split("/").filter(Boolean);
    const ok =
      parts.length === 0 ||
      (parts.length === 1 && (LOCALES as readonly string[]).includes(parts[0])) ||
      (parts.length === 2 && (LOCALES as readonly string[]).includes(parts[0]) && bySlug(parts[1]) !== undefined);
    if (!ok) file.fail(`link "${url}" points to no page (lessons are /<${LOCALES.join("|")}>/<slug>)`, node);
    return;
  }
  // Relative: the first real segment names a lesson folder (../07-orphans, ../07-orphans/zh.mdx) or slug.
  const segments = pathPart.split("/").filter((segment) => segment !== "" && segment !== "." && segment !== "..");
  const target = segments[0] ? links.lessons.find((l) => l.dir === segments[0]) ?? bySlug(segments[0]) : undefined;
  const rest = segments.slice(1);
  if (!target || rest.length > 1 || (rest.length === 1 && !/^[a-z]+\.mdx$/.test(rest[0]))) {
    file.fail(`link "${url}" points to no lesson (write ../NN-slug or /${locale}/<slug>)`, node);
  }
  node.url = `/${locale}/${target.slug}${hash}`;
}

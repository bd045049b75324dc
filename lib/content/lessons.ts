import { compileMdx, type CompiledLesson } from "./compile";
import { ContentError } from "./errors";
import { defaultContentDir, loadLessons, type Lesson, type LessonFile } from "./load";
import { LOCALES, type Locale } from "./locales";

/** A lesson ready to render: metadata, compiled body and its neighbours in the course. */
export interface LessonPage {
  lesson: Lesson;
  meta: LessonFile;
  compiled: CompiledLesson;
  previous?: LessonFile;
  next?: LessonFile;
}

// Builds render many pages per process; parse and compile each file once.
let lessonsCache: Lesson[] | undefined;
const compiled = new Map<string, Promise<CompiledLesson>>();

/** All lessons, validated (throws a ContentError naming the file otherwise). Cached per process. */
export function getLessons(): Lesson[] {
  lessonsCache ??= loadLessons(defaultContentDir());
  return lessonsCache;
}

export function getLesson(slug: string): Lesson | undefined {
  return getLessons().find((lesson) => lesson.slug === slug);
}

function linkContext(lessons: Lesson[], slug: string) {
  return { slug, lessons: lessons.map(({ dir, slug: s }) => ({ dir, slug: s })) };
}

function compileFile(meta: LessonFile, components?: readonly string[]): Promise<CompiledLesson> {
  let entry = compiled.get(meta.file);
  if (!entry) {
    entry = compileMdx(meta.source, meta.file, { locale: meta.locale, components, links: linkContext(getLessons(), meta.slug) });
    compiled.set(meta.file, entry);
  }
  return entry;
}

/**
 * Heading ids must be the same in every translation so `/zh/lesson#anchor` works after
 * the language switch. Compares h2/h3 ids against the default language.
 */
export function compareHeadingIds(reference: { file: string; compiled: CompiledLesson }, other: { file: string; compiled: CompiledLesson }): void {
  const ids = (c: CompiledLesson) => c.toc.map((entry) => entry.id);
  const want = ids(reference.compiled);
  const got = ids(other.compiled);
  if (want.join("\n") === got.join("\n")) return;
  const missing = want.filter((id) => !got.includes(id));
  const extra = got.filter((id) => !want.includes(id));
  const parts = [
    missing.length ? `missing ${missing.map((id) => `#${id}`).join(", ")}` : "",
    extra.length ? `unexpected ${extra.map((id) => `#${id}`).join(", ")}` : "",
    !missing.length && !extra.length ? "same ids in a different order" : "",
  ].filter(Boolean);
  throw new ContentError(
    other.file,
    `section headings must have the same ids as ${reference.file} (${parts.join("; ")}). Mark headings with an explicit id: "## 标题 [#same-id]"`,
  );
}

/**
 * Compiles one translation plus its siblings (to check heading ids) and finds prev/next.
 * `components`: names lessons may use (keys of the MDX component map), checked at compile.
 */
export async function getLessonPage(slug: string, locale: Locale, components?: readonly string[]): Promise<LessonPage | undefined> {
  const lessons = getLessons();
  const index = lessons.findIndex((lesson) => lesson.slug === slug);
  if (index < 0) return undefined;
  const lesson = lessons[index];
  const [reference, ...others] = LOCALES.map((l) => ({ file: lesson.translations[l].file, locale: l }));
  const referenceCompiled = await compileFile(lesson.translations[reference.locale], components);
  for (const other of others) {
    compareHeadingIds({ file: reference.file, compiled: referenceCompiled }, { file: other.file, compiled: await compileFile(lesson.translations[other.locale], components) });
  }
  return {
    lesson,
    meta: lesson.translations[locale],
    compiled: await compileFile(lesson.translations[locale], components),
    previous: lessons[index - 1]?.translations[locale],
    next: lessons[index + 1]?.translations[locale],
  };
}

/**
 * Validates the whole course: frontmatter, translations, order, and compiles every
 * file (MDX syntax, code languages, runnable blocks, heading ids, links between lessons,
 * and component names when `components` is given). Used by the content test; the build runs the same checks
 * page by page through getLessons/getLessonPage.
 */
export async function checkContent(contentDir: string = defaultContentDir(), components?: readonly string[]): Promise<Lesson[]> {
  const lessons = loadLessons(contentDir);
  for (const lesson of lessons) {
    const [reference, ...others] = LOCALES.map((l) => lesson.translations[l]);
    const referenceCompiled = await compileMdx(reference.source, reference.file, { locale: reference.locale, components, links: linkContext(lessons, lesson.slug) });
    for (const other of others) {
      const otherCompiled = await compileMdx(other.source, other.file, { locale: other.locale, components, links: linkContext(lessons, lesson.slug) });
      compareHeadingIds({ file: reference.file, compiled: referenceCompiled }, { file: other.file, compiled: otherCompiled });
    }
  }
  return lessons;
}

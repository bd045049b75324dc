import fs from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import { ContentError } from "./errors";
import { LOCALES, type Locale } from "./locales";
import { LESSON_DIR_PATTERN, lessonFrontmatterSchema, type LessonFrontmatter } from "./schema";

/** One translation of a lesson: validated frontmatter plus where it came from. */
export interface LessonFile extends LessonFrontmatter {
  slug: string;
  locale: Locale;
  /** Path relative to the project root, for error messages. */
  file: string;
  /** Absolute path, for reading the body. */
  absolutePath: string;
  /** Raw file text (frontmatter included, so compile errors keep their line numbers). */
  source: string;
}

export interface Lesson {
  slug: string;
  order: number;
  /** Folder name, e.g. `01-what-is-a-process`. */
  dir: string;
  translations: Record<Locale, LessonFile>;
}

/**
 * `content/` of the project the process runs in (Next build, vitest and scripts all run
 * from the root). `SPAWNPOINT_CONTENT_DIR` points elsewhere, e.g. at a fixture course.
 */
export function defaultContentDir(): string {
  return process.env.SPAWNPOINT_CONTENT_DIR ? path.resolve(process.env.SPAWNPOINT_CONTENT_DIR) : path.join(process.cwd(), "content");
}

function relative(p: string): string {
  return path.relative(process.cwd(), p) || p;
}

function formatIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `field "${issue.path.map(String).join(".")}"` : "frontmatter";
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}

function readLessonFile(absolutePath: string, slug: string, locale: Locale): LessonFile {
  const file = relative(absolutePath);
  const source = fs.readFileSync(absolutePath, "utf8");
  let data: Record<string, unknown>;
  try {
    // An empty options object bypasses gray-matter's module-level cache, which would
    // otherwise hand back a stale parse when a test rewrites a fixture with equal text.
    data = matter(source, {}).data;
  } catch (error) {
    throw new ContentError(file, `invalid frontmatter YAML: ${(error as Error).message}`);
  }
  if (Object.keys(data).length === 0) {
    throw new ContentError(file, "missing frontmatter (a `---` block with title, summary and order)");
  }
  const parsed = lessonFrontmatterSchema.safeParse(data);
  if (!parsed.success) {
    throw new ContentError(file, `invalid frontmatter: ${formatIssues(parsed.error)}`);
  }
  return { ...parsed.data, slug, locale, file, absolutePath, source };
}

/**
 * Reads and validates every lesson under `contentDir`, sorted by `order`.
 * Throws a {@link ContentError} naming the file for: a folder not named `NN-slug`,
 * a missing translation, an unknown language file, bad or missing frontmatter,
 * translations that disagree on `order`, and a duplicate `order` or slug.
 * Folders starting with `_` or `.` are ignored (shared snippets, fixtures).
 */
export function loadLessons(contentDir: string = defaultContentDir()): Lesson[] {
  if (!fs.existsSync(contentDir)) {
    throw new ContentError(relative(contentDir), "content folder not found");
  }
  const lessons: Lesson[] = [];
  const dirs = fs
    .readdirSync(contentDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_") && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();

  for (const dir of dirs) {
    const dirPath = path.join(contentDir, dir);
    const match = LESSON_DIR_PATTERN.exec(dir);
    if (!match) {
      throw new ContentError(relative(dirPath), "lesson folders must be named NN-slug (e.g. 03-memory-isolation)");
    }
    const slug = match[2];
    for (const name of fs.readdirSync(dirPath)) {
      const locale = name.replace(/\.mdx$/, "");
      if (name.endsWith(".mdx") && !(LOCALES as readonly string[]).includes(locale)) {
        throw new ContentError(relative(path.join(dirPath, name)), `unknown language "${locale}" (expected one of: ${LOCALES.join(", ")})`);
      }
    }
    const translations = {} as Record<Locale, LessonFile>;
    for (const locale of LOCALES) {
      const absolutePath = path.join(dirPath, `${locale}.mdx`);
      if (!fs.existsSync(absolutePath)) {
        throw new ContentError(relative(absolutePath), `missing translation: every lesson needs ${LOCALES.map((l) => `${l}.mdx`).join(" and ")}`);
      }
      translations[locale] = readLessonFile(absolutePath, slug, locale);
    }
    const [first, ...rest] = LOCALES.map((locale) => translations[locale]);
    for (const other of rest) {
      if (other.order !== first.order) {
        throw new ContentError(other.file, `order ${other.order} differs from ${first.file} (order ${first.order}); translations share one order`);
      }
    }
    lessons.push({ slug, order: first.order, dir, translations });
  }

  if (lessons.length === 0) {
    throw new ContentError(relative(contentDir), "no lessons found");
  }
  const byOrder = new Map<number, Lesson>();
  const bySlug = new Map<string, Lesson>();
  for (const lesson of lessons) {
    const clash = byOrder.get(lesson.order);
    if (clash) {
      throw new ContentError(
        lesson.translations.en.file,
        `duplicate order ${lesson.order}: ${clash.translations.en.file} has the same order`,
      );
    }
    byOrder.set(lesson.order, lesson);
    const slugClash = bySlug.get(lesson.slug);
    if (slugClash) {
      throw new ContentError(relative(path.join(contentDir, lesson.dir)), `duplicate slug "${lesson.slug}": ${slugClash.dir} has the same slug`);
    }
    bySlug.set(lesson.slug, lesson);
  }
  return lessons.sort((a, b) => a.order - b.order);
}

import { z } from "zod";

/**
 * Frontmatter of one lesson file (`content/<NN-slug>/<locale>.mdx`).
 * The one schema used by the build check, the page loader and the tests.
 * `.strict()` so a misspelt key (`titel:`) fails instead of being ignored.
 */
export const lessonFrontmatterSchema = z
  .object({
    /** Shown as the page title, in the sidebar and in prev/next links. */
    title: z.string().trim().min(1),
    /** One or two sentences for the lesson list and `<meta name="description">`. */
    summary: z.string().trim().min(1),
    /** Position in the course (1-based). Unique across lessons; equal in every translation. */
    order: z.number().int().positive(),
    /** What the reader can do after the lesson. Optional. */
    objectives: z.array(z.string().trim().min(1)).min(1).optional(),
    /** Estimated reading + exercise time in minutes. Optional. */
    duration: z.number().int().positive().optional(),
  })
  .strict();

export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;

/** Lesson folders are `NN-slug`: the number keeps `ls` in course order, the slug is the URL. */
export const LESSON_DIR_PATTERN = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

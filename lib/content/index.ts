export { ContentError } from "./errors";
export { LOCALES, DEFAULT_LOCALE, isLocale, htmlLang, type Locale } from "./locales";
export { lessonFrontmatterSchema, LESSON_DIR_PATTERN, type LessonFrontmatter } from "./schema";
export { loadLessons, defaultContentDir, type Lesson, type LessonFile } from "./load";
export { compileMdx, type CompiledLesson, type CompileOptions } from "./compile";
export { getLessons, getLesson, getLessonPage, checkContent, type LessonPage } from "./lessons";
export { type TocEntry } from "./remark-lesson";
export { parseFenceMeta, type FenceMeta } from "./fence-meta";

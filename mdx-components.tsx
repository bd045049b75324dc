import type { MDXComponents } from "mdx/types";
import { Playground } from "@/components/editor/Playground";
import { LazyScheduler } from "@/components/scheduler/LazyScheduler";
import { RunnableCode } from "@/components/editor/RunnableCode";
import { H2, H3, H4 } from "@/components/site/AnchorHeading";
import { Callout } from "@/components/site/Callout";
import { CodeBlock } from "@/components/site/CodeBlock";
import { OutputBlock } from "@/components/site/OutputBlock";
import { Notes, SlideBreak } from "@/components/site/Pedagogy";
import { Exercise } from "@/components/lesson/Exercise";
import { Predict } from "@/components/lesson/Predict";

/**
 * The one map from MDX names to components. Lessons use the capitalised names directly;
 * CodeBlock, OutputBlock, RunnableCode and Playground props are filled in at build time
 * by lib/content/remark-lesson.ts from fenced code blocks.
 */
export const mdxComponents = {
  h2: H2,
  h3: H3,
  h4: H4,
  CodeBlock,
  OutputBlock,
  RunnableCode,
  Playground,
  Callout,
  Predict,
  Exercise,
  Notes,
  SlideBreak,
  // Its code is only fetched by lessons that render one (see the file).
  Scheduler: LazyScheduler,
} satisfies MDXComponents;

/** Next.js MDX convention; returns the same map. */
export function useMDXComponents(): MDXComponents {
  return mdxComponents;
}

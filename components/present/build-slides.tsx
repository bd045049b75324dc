/**
 * Server-side: turns a compiled lesson (the same MDX component the reading view renders, from
 * lib/content) into slides, without a second content pipeline. The MDX function returns a
 * fragment of top-level elements whose types are the components of our one map
 * (mdx-components.tsx), so we split that list at `h2` and `<SlideBreak />` elements, and lift
 * top-level `<Notes>` out of the slide into its speaker notes.
 */
import { Children, Fragment, isValidElement, type ReactElement, type ReactNode } from "react";
import type { MDXComponents, MDXContent } from "mdx/types";

export interface SlideSource {
  /** Heading anchor in the reading view (for Esc), when the slide starts at one. */
  anchor: string | null;
  title: string;
  content: ReactNode;
  notes: ReactNode | null;
}

type Props = { children?: ReactNode; id?: string };

function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (isValidElement<Props>(node)) return textOf(node.props.children);
  return "";
}

function isBlank(node: ReactNode): boolean {
  return node === null || node === undefined || typeof node === "boolean" || (typeof node === "string" && node.trim() === "");
}

/**
 * @param Content   the compiled lesson
 * @param components the map it is rendered with (mdx-components.tsx); its `h2`, `SlideBreak` and `Notes` mark slide structure
 * @param introTitle title for content before the first heading (the lesson title)
 */
export function splitIntoSlides(Content: MDXContent, components: MDXComponents, introTitle: string): SlideSource[] {
  // MDX content is a plain function of its props (no hooks), so calling it yields the element tree unrendered.
  const root = Content({ components }) as ReactNode;
  const top: ReactNode[] = isValidElement<Props>(root) && root.type === Fragment ? Children.toArray(root.props.children) : [root];

  const slides: Array<{ anchor: string | null; title: string; body: ReactNode[]; notes: ReactNode[] }> = [];
  let current = { anchor: null as string | null, title: introTitle, body: [] as ReactNode[], notes: [] as ReactNode[] };
  const flush = () => {
    if (current.body.some((n) => !isBlank(n)) || current.notes.length) slides.push(current);
  };

  for (const node of top) {
    if (isValidElement<Props>(node)) {
      const element = node as ReactElement<Props>;
      if (element.type === components.h2) {
        flush();
        current = { anchor: element.props.id ?? null, title: textOf(element.props.children), body: [node], notes: [] };
        continue;
      }
      if (element.type === components.SlideBreak) {
        flush();
        // A break continues the section: same title and anchor, no heading repeated.
        current = { anchor: current.anchor, title: current.title, body: [], notes: [] };
        continue;
      }
      if (element.type === components.Notes) {
        current.notes.push(element.props.children);
        continue;
      }
    }
    current.body.push(node);
  }
  flush();

  return slides.map((s) => ({
    anchor: s.anchor,
    title: s.title,
    content: s.body.map((n, i) => <Fragment key={i}>{n}</Fragment>),
    notes: s.notes.length ? s.notes.map((n, i) => <Fragment key={i}>{n}</Fragment>) : null,
  }));
}

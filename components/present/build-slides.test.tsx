import { evaluate } from "@mdx-js/mdx";
import type { MDXContent } from "mdx/types";
import type { ReactNode } from "react";
import * as runtime from "react/jsx-runtime";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { splitIntoSlides } from "./build-slides";

const H2 = ({ id, children }: { id?: string; children?: ReactNode }) => <h2 id={id}>{children}</h2>;
const Notes = () => null;
const SlideBreak = () => null;
const components = { h2: H2, Notes, SlideBreak };

async function compile(source: string): Promise<MDXContent> {
  return (await evaluate(source, { ...runtime, development: false })).default;
}

const html = (node: ReactNode) => renderToStaticMarkup(<>{node}</>);

describe("splitIntoSlides", () => {
  it("should start a slide at each second-level heading and at each <SlideBreak />", async () => {
    const Content = await compile(
      ["Intro text.", "", "## First", "", "one", "", "<SlideBreak />", "", "one, continued", "", "## Second", "", "### Not a break", "", "two"].join("\n"),
    );
    const slides = splitIntoSlides(Content, components, "Lesson");
    expect(slides.map((s) => s.title)).toEqual(["Lesson", "First", "First", "Second"]);
    expect(html(slides[0].content)).toContain("Intro text.");
    expect(html(slides[1].content)).toMatch(/<h2>First<\/h2>.*one/s);
    expect(html(slides[2].content)).not.toContain("<h2>");
    expect(html(slides[2].content)).toContain("one, continued");
    expect(html(slides[3].content)).toContain("Not a break");
  });

  it("should lift speaker notes out of the slide into its notes", async () => {
    const Content = await compile(["## Only", "", "visible", "", "<Notes>", "Ask the room **first**.", "</Notes>"].join("\n"));
    const [slide] = splitIntoSlides(Content, components, "Lesson");
    expect(html(slide.content)).not.toContain("Ask the room");
    expect(html(slide.notes)).toContain("Ask the room <strong>first</strong>.");
  });

  it("should not make empty slides (a break right before a heading, no intro)", async () => {
    const Content = await compile(["<SlideBreak />", "", "## A", "", "a", "", "<SlideBreak />", "", "## B", "", "b"].join("\n"));
    expect(splitIntoSlides(Content, components, "Lesson").map((s) => s.title)).toEqual(["A", "B"]);
  });
});

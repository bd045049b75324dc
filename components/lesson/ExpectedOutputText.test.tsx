import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { ExpectedOutputText } from "./ExpectedOutputText";

describe("ExpectedOutputText", () => {
  it("should set placeholders apart and keep the text unchanged", () => {
    const html = renderToStaticMarkup(<ExpectedOutputText text={"child {pid:c} of {pid}\n…\ndone"} locale="en" />);
    expect(html.match(/class="sp-placeholder"/g)).toHaveLength(3);
    expect(html).toContain('title="a number that differs from run to run (the same wherever this label appears)"');
    expect(html).toContain('title="any number of lines"');
    expect(html.replace(/<[^>]+>/g, "")).toBe("child {pid:c} of {pid}\n…\ndone");
  });

  it("should leave braces that are not placeholders alone", () => {
    const html = renderToStaticMarkup(<ExpectedOutputText text={"{}\n{'a': 1}"} locale="zh" />);
    expect(html).not.toContain("sp-placeholder");
  });
});

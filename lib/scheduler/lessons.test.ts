import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isScenarioId } from "./scenarios";

const CONTENT = path.resolve(__dirname, "../../content");

/** Every `<Scheduler scenario="…">` in the lessons, with the file it is in. */
function schedulerUses(): { file: string; scenario: string }[] {
  if (!fs.existsSync(CONTENT)) return [];
  const out: { file: string; scenario: string }[] = [];
  for (const dir of fs.readdirSync(CONTENT)) {
    const full = path.join(CONTENT, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    for (const name of fs.readdirSync(full).filter((n) => n.endsWith(".mdx"))) {
      const text = fs.readFileSync(path.join(full, name), "utf8");
      for (const m of text.matchAll(/<Scheduler\b[^>]*?\bscenario=["']([^"']*)["']/g)) out.push({ file: `content/${dir}/${name}`, scenario: m[1] ?? "" });
    }
  }
  return out;
}

describe("lessons", () => {
  it("should only embed scheduler scenarios that exist (the failure names the file)", () => {
    const unknown = schedulerUses()
      .filter((u) => !isScenarioId(u.scenario))
      .map((u) => `${u.file}: unknown scenario "${u.scenario}"`);
    expect(unknown).toEqual([]);
  });
});

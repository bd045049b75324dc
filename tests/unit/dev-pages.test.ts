/**
 * The /dev fixture pages exist only in `next dev` and in builds made with
 * SPAWNPOINT_DEV_PAGES=1 (tests, benchmarks); a production build for users has none.
 */
import fs from "node:fs";
import path from "node:path";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from "next/constants";
import { describe, expect, it } from "vitest";
import { pageExtensions } from "@/next.config";

const devDir = path.join(__dirname, "..", "..", "app", "dev");
/** Next's special route files: a page, layout, route handler… under any page extension. */
const SPECIAL = /^(page|layout|route|template|default|loading|error|not-found)\./;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe("next.config pageExtensions", () => {
  it("should leave the dev pages out of a production build by default", () => {
    expect(pageExtensions(PHASE_PRODUCTION_BUILD, {})).not.toContain("dev.tsx");
  });

  it("should include them with SPAWNPOINT_DEV_PAGES=1 and under next dev", () => {
    expect(pageExtensions(PHASE_PRODUCTION_BUILD, { SPAWNPOINT_DEV_PAGES: "1" })).toContain("dev.tsx");
    expect(pageExtensions(PHASE_DEVELOPMENT_SERVER, {})).toContain("dev.tsx");
  });
});

describe("the static export", () => {
  it("should leave out every route that needs the server (*.server.ts, *.server.tsx)", () => {
    expect(pageExtensions(PHASE_PRODUCTION_BUILD, {})).toEqual(expect.arrayContaining(["server.ts", "server.tsx"]));
    expect(pageExtensions(PHASE_PRODUCTION_BUILD, { SPAWNPOINT_STATIC: "1" })).not.toEqual(expect.arrayContaining(["server.ts"]));
    expect(pageExtensions(PHASE_PRODUCTION_BUILD, { SPAWNPOINT_STATIC: "1" })).not.toEqual(expect.arrayContaining(["server.tsx"]));
  });

  it("should find the live-session API and the proxy named *.server.ts, so the export has neither", () => {
    const api = filesUnder(path.join(__dirname, "..", "..", "app", "api")).filter((f) => SPECIAL.test(path.basename(f)));
    expect(api.length).toBeGreaterThan(0);
    for (const file of api) expect(file).toMatch(/\.server\.ts$/);
    expect(fs.existsSync(path.join(__dirname, "..", "..", "proxy.server.ts"))).toBe(true);
    expect(fs.existsSync(path.join(__dirname, "..", "..", "proxy.ts"))).toBe(false);
  });
});

describe("app/dev", () => {
  it("should name every route file *.dev.tsx, so none becomes a route in a production build", () => {
    const special = filesUnder(devDir).filter((f) => SPECIAL.test(path.basename(f)));
    expect(special.length).toBeGreaterThan(0);
    for (const file of special) expect(path.relative(devDir, file)).toMatch(/\.dev\.tsx$/);
  });
});

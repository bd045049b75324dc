import fs from "node:fs";
import path from "node:path";
import Link from "next/link";
import { compileMdx } from "@/lib/content";
import { mdxComponents } from "@/mdx-components";

/**
 * The live editor's fixture lesson (tests/e2e/fixtures/editor-lesson.mdx), compiled by the
 * same MDX pipeline as real lessons. Browser tests and the editor benchmark use it so they
 * do not depend on lesson text that authors change.
 */
export default async function EditorFixturePage() {
  const file = path.join(process.cwd(), "tests/e2e/fixtures/editor-lesson.mdx");
  const { Content } = await compileMdx(fs.readFileSync(file, "utf8"), file, { locale: "en", components: Object.keys(mdxComponents) });
  return (
    <main id="main" className="lesson-main mx-auto max-w-4xl p-4">
      <article className="lesson">
        <h1>Live editor fixture</h1>
        <p>
          <Link href="/dev/editor/other">Leave to another page</Link>
        </p>
        <div className="prose">
          <Content components={mdxComponents} />
        </div>
      </article>
    </main>
  );
}

import Link from "next/link";

/** A second fixture page: tests navigate here (client-side) to check that leaving a lesson stops its processes. */
export default function OtherFixturePage() {
  return (
    <main id="main" className="mx-auto max-w-4xl p-4">
      <h1>Another page</h1>
      <p>
        <Link href="/dev/editor">Back to the editor fixture</Link>
      </p>
    </main>
  );
}

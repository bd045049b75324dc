import { getLessons } from "@/lib/content";
import { HomePage } from "@/components/site/HomePage";
import { SiteHeader } from "@/components/site/SiteHeader";

export default function Home() {
  return (
    <>
      <SiteHeader locale="en" path="" />
      <main id="main" tabIndex={-1} className="page-main">
        <HomePage lessons={getLessons()} locale="en" />
      </main>
    </>
  );
}

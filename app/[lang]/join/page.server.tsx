import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isLocale } from "@/lib/content";
import { JoinForm } from "@/components/present/JoinForm";
import "@/components/present/live.css";

export const metadata: Metadata = { title: "Join", robots: { index: false } };

/** Students type the join code from the projector here (the QR code links straight to the lesson). */
export default async function JoinRoute({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  if (!isLocale(lang)) notFound();
  return <JoinForm lang={lang} />;
}

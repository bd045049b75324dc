import type { MetadataRoute } from "next";
import { dictionary } from "@/components/site/i18n";

// A file at build time, in the server build and the static export alike.
export const dynamic = "force-static";

/**
 * The web app manifest (/manifest.webmanifest): a class can install the site, and with the
 * static export's service worker it opens offline. Icons are app/icon.svg drawn at 192 and
 * 512 px, plus a maskable one with the mark inside the safe zone.
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: dictionary.en.siteName,
    short_name: dictionary.en.siteName,
    description: dictionary.en.tagline,
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#0b63c4",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}

/**
 * Sets the Content-Security-Policy on every response (lib/web/csp.ts says what it allows and why).
 * The policy differs per page (the hashes of that page's prerendered inline scripts), which
 * next.config.ts's static headers cannot express; the other security headers live there.
 */
import path from "node:path";
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/web/csp";
import { PageHashes } from "@/lib/web/page-hashes";

let pages: PageHashes | undefined;

export function proxy(request: NextRequest): NextResponse {
  pages ??= new PageHashes(path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "server", "app"));
  const policy = contentSecurityPolicy({
    nonce: newNonce(),
    pageHashes: pages.forPath(request.nextUrl.pathname),
    dev: process.env.NODE_ENV === "development",
  });
  // On the request too: Next takes the nonce from there for anything it renders per request.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

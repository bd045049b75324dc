import { bearerToken, clientIp, getLiveHub, hubError, json } from "@/lib/live/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ code: string }>;
}

/** A join attempt: the session's lesson and current state (rate-limited when the code is wrong). */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { code } = await params;
  const result = await getLiveHub().lookup(code, clientIp(request));
  return result.ok ? json(result.value) : hubError(result);
}

/** Ends the session (instructor token required); followers get an "ended" event. */
export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const { code } = await params;
  const result = await getLiveHub().end(code, bearerToken(request), clientIp(request));
  return result.ok ? json({ ended: true }) : hubError(result);
}

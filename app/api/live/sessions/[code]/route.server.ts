import { bearerToken, clientIp, followTicketOf, getLiveHub, hubError, json } from "@/lib/live/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ code: string }>;
}

/**
 * A join attempt: the session's lesson, current state and a follow ticket (rate-limited when the
 * code is wrong; never with a valid `?ticket=`).
 */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { code } = await params;
  const result = await getLiveHub().lookup(code, clientIp(request), followTicketOf(request));
  return result.ok ? json(result.value) : hubError(result);
}

/** Ends the session (instructor token required); followers get an "ended" event. */
export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const { code } = await params;
  const result = await getLiveHub().end(code, bearerToken(request), clientIp(request));
  return result.ok ? json({ ended: true }) : hubError(result);
}

import { bodyError, clientIp, getLiveHub, hubError, json, readJsonBody } from "@/lib/live/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Creates a live session. Body: `{ lesson: { lang, slug }, slide? }`. Returns the join code and, once, the instructor token. */
export async function POST(request: Request): Promise<Response> {
  let body: unknown;
  try {
    body = await readJsonBody(request);
  } catch (error) {
    return bodyError(error);
  }
  const result = await getLiveHub().create(body, clientIp(request));
  return result.ok ? json(result.value, 201) : hubError(result);
}

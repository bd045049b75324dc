import { bearerToken, bodyError, clientIp, getLiveHub, hubError, json, readJsonBody } from "@/lib/live/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The instructor moves the class: `{ type: "slide", slide }` or `{ type: "scheduler", id, step }`, with `Authorization: Bearer <token>`. */
export async function POST(request: Request, { params }: { params: Promise<{ code: string }> }): Promise<Response> {
  const { code } = await params;
  const ip = clientIp(request);
  const token = bearerToken(request);
  let body: unknown;
  try {
    body = await readJsonBody(request);
  } catch (error) {
    return bodyError(error);
  }
  const result = await getLiveHub().drive(code, token, body, ip);
  return result.ok ? json(result.value) : hubError(result);
}

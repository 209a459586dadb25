import { NextResponse, type NextRequest } from "next/server";
import { assertSameOrigin, clientIpOf, errorResponse, finishResponse, readJsonBody, requestIdOf } from "@/lib/auth/route-common";
import { signUp } from "@/lib/auth/sign-up";

/**
 * Creates an account with email and password. Signing in is a separate step
 * (next-auth's credentials callback), so the session is opened — and audited —
 * in exactly one place.
 */
export async function POST(req: NextRequest): Promise<Response> {
  const requestId = requestIdOf(req);
  try {
    assertSameOrigin(req);
    const user = await signUp(await readJsonBody(req), {
      ip: clientIpOf(req),
      userAgent: req.headers.get("user-agent"),
      requestId,
    });
    return finishResponse(NextResponse.json({ data: user }, { status: 201 }), requestId);
  } catch (err) {
    return errorResponse(err, requestId);
  }
}

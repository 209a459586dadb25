import NextAuth from "next-auth";
import { NextResponse, type NextRequest } from "next/server";
import { checkAttempts, rateLimitedError } from "@/lib/auth/attempt-limiter";
import { getAuthOptions } from "@/lib/auth/auth-options";
import { runWithAuthRequest } from "@/lib/auth/auth-request-context";
import { clearLinkCookieHeader, LINK_COOKIE } from "@/lib/auth/oidc-link";
import { clientIpOf, errorResponse, requestIdOf } from "@/lib/auth/route-common";
import { getConfig } from "@/lib/config/env";

type Segment = { params: Promise<{ nextauth: string[] }> };

/**
 * A password sign-in from a locked-out email or IP is answered 429 with
 * Retry-After before next-auth (or argon2) runs. The body keeps next-auth's
 * `{ url }` shape, so its client reads it like any other refusal.
 */
async function refuseLockedOut(req: NextRequest, requestId: string): Promise<Response | null> {
  const form = new URLSearchParams(await req.clone().text().catch(() => ""));
  const email = form.get("email")?.trim().toLowerCase() || null;
  const verdict = await checkAttempts([
    { kind: "email", value: email },
    { kind: "ip", value: clientIpOf(req) },
  ]);
  if (!verdict.limited) return null;
  const error = rateLimitedError(verdict.retryAfterSeconds);
  return NextResponse.json(
    {
      url: `${getConfig().PUBLIC_URL}/login?error=RateLimited`,
      error: { code: error.code, message: error.message, request_id: requestId },
    },
    { status: 429, headers: { ...error.headers, "x-request-id": requestId, "cache-control": "no-store" } },
  );
}

// Options are built per request (lazily, once), not at import: see getAuthOptions.
async function handler(req: NextRequest, segment: Segment): Promise<Response> {
  const requestId = requestIdOf(req);
  const [action, provider] = (await segment.params).nextauth ?? [];
  try {
    if (req.method === "POST" && action === "callback" && provider === "credentials") {
      const refused = await refuseLockedOut(req, requestId);
      if (refused) return refused;
    }
    const res: Response = await runWithAuthRequest(req, requestId, () => NextAuth(req, segment, getAuthOptions()) as Promise<Response>);
    // The OIDC link cookie is good for one callback only.
    if (action === "callback" && req.cookies.has(LINK_COOKIE)) res.headers.append("set-cookie", clearLinkCookieHeader());
    return res;
  } catch (err) {
    return errorResponse(err, requestId);
  }
}

export { handler as GET, handler as POST };

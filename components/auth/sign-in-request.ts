/**
 * A password sign-in through next-auth's credentials callback, by hand rather
 * than with next-auth/react's signIn(): that helper drops the status and the
 * Retry-After header of a 429, and the form needs both.
 */
export type SignInOutcome = { ok: true } | { ok: false; error: string; retryAfterSeconds?: number };

export async function signInWithPassword(fields: Record<string, string>, callbackUrl: string): Promise<SignInOutcome> {
  try {
    const { csrfToken } = (await (await fetch("/api/auth/csrf", { credentials: "same-origin" })).json()) as { csrfToken: string };
    const res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
      body: new URLSearchParams({ ...fields, csrfToken, callbackUrl, json: "true" }),
    });
    if (res.status === 429) {
      return { ok: false, error: "RateLimited", retryAfterSeconds: Number(res.headers.get("retry-after")) || undefined };
    }
    const { url } = (await res.json()) as { url?: string };
    const error = url ? new URL(url, window.location.origin).searchParams.get("error") : "Unavailable";
    return error ? { ok: false, error } : { ok: true };
  } catch {
    return { ok: false, error: "Unavailable" };
  }
}

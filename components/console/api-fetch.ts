import type { FieldErrors } from "@/lib/errors/app-error";
import { announceEnrollmentRequired, hasStepUpHost, requestStepUp } from "./step-up-controller";

/** A management API error as the browser sees it (see lib/errors/app-error.ts). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The API's message for field `name`, or for one below it (`scopes.0`, `rateLimit.requests`, `credential.header`). */
export function fieldError(fields: FieldErrors, name: string): string | undefined {
  return fields[name] ?? Object.entries(fields).find(([k]) => k.startsWith(`${name}.`))?.[1];
}

export type ApiFetchInit = {
  method?: string;
  body?: unknown;
  /**
   * On 401 `step_up_required`, open the step-up dialog and, once the user has
   * verified, send the same request again (default true). The caller just
   * awaits: its form and state stay as they were.
   */
  stepUp?: boolean;
};

async function send<T>(path: string, init: ApiFetchInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network_error", "Could not reach ModelGate. Check your connection and try again.");
  }
  if (res.status === 204) return undefined as T;
  const payload = (await res.json().catch(() => null)) as
    | { data: T }
    | { error: { code: string; message: string; fields?: FieldErrors; request_id?: string } }
    | null;
  if (res.ok && payload && "data" in payload) return payload.data;
  const error = payload && "error" in payload ? payload.error : undefined;
  throw new ApiError(
    res.status,
    error?.code ?? "internal_error",
    error?.message ?? "Something went wrong. Try again in a moment.",
    error?.fields,
    error?.request_id,
  );
}

/**
 * Calls the console's own management API and returns its `data`, or throws an
 * ApiError carrying the API's code, message and field errors. Sensitive
 * actions answered with `step_up_required` are verified in a dialog and
 * retried once; `mfa_enrollment_required` shows the way to set up MFA (and
 * still throws, so the caller can show its own message).
 */
export async function apiFetch<T>(path: string, init: ApiFetchInit = {}): Promise<T> {
  try {
    return await send<T>(path, init);
  } catch (err) {
    if (!(err instanceof ApiError) || !hasStepUpHost()) throw err;
    if (err.code === "step_up_required" && init.stepUp !== false) {
      if (await requestStepUp(err.message)) return send<T>(path, init);
      throw new ApiError(401, "step_up_cancelled", "Verification was cancelled; nothing was changed.", {}, err.requestId);
    }
    if (err.code === "mfa_enrollment_required") void announceEnrollmentRequired(err.message);
    throw err;
  }
}

import type { FieldErrors } from "@/lib/errors/app-error";

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

/**
 * Calls the console's own management API and returns its `data`, or throws an
 * ApiError carrying the API's code, message and field errors.
 */
export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
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

/**
 * The one error type of ModelGate. `code` is a stable, documented contract for
 * API clients; the HTTP status is derived from it here and nowhere else.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  /** A model backend URL that is malformed, not http(s), carries credentials or does not resolve. */
  invalid_backend_url: 400,
  unauthorized: 401,
  invalid_api_key: 401,
  step_up_required: 401,
  invalid_mfa_code: 401,
  forbidden: 403,
  mfa_enrollment_required: 403,
  invitation_email_mismatch: 403,
  tenant_suspended: 403,
  /** A sensitive action (MFA step-up) attempted with an API key, which cannot do step-up. */
  step_up_unavailable: 403,
  ip_not_allowed: 403,
  not_found: 404,
  model_not_found: 404,
  /** KServe `/versions/{v}`: the model is allowed, but has no registry version of that label. */
  model_version_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invitation_expired: 410,
  invitation_used: 410,
  invitation_revoked: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** A model backend URL that resolves to an address the platform refuses to call (SSRF guard). */
  backend_url_forbidden: 422,
  rate_limited: 429,
  quota_exceeded: 429,
  internal_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  gateway_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Field name → message, for form and API validation errors. */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fields?: FieldErrors; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.fields = opts.fields;
    this.headers = opts.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export type ErrorBody = {
  error: { code: ErrorCode; message: string; request_id: string; fields?: FieldErrors };
};

/**
 * The JSON body and status for any thrown value. Anything that is not an
 * AppError becomes a 500 that says nothing about internals; the caller logs it.
 */
export function toErrorResponse(
  err: unknown,
  requestId: string,
): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const appError =
    err instanceof AppError ? err : new AppError("internal_error", "Internal error");
  const body: ErrorBody = {
    error: { code: appError.code, message: appError.message, request_id: requestId },
  };
  if (appError.fields) body.error.fields = appError.fields;
  return { status: appError.status, body, headers: appError.headers ?? {} };
}

/** The denial codes the gateway writes to the security log (README "Gateway"), with a label and a chart colour each. */
export const SECURITY_CODES: Array<{ code: string; label: string; color: string }> = [
  { code: "invalid_api_key", label: "Invalid or revoked key", color: "#dc2626" },
  { code: "tenant_suspended", label: "Tenant suspended", color: "#7f1d1d" },
  { code: "ip_not_allowed", label: "IP not allowed", color: "#ea580c" },
  { code: "forbidden", label: "Missing scope", color: "#db2777" },
  { code: "model_not_found", label: "Model not allowed", color: "#7c3aed" },
  { code: "model_version_not_found", label: "Unknown model version", color: "#a78bfa" },
  { code: "rate_limited", label: "Rate limited", color: "#f59e0b" },
  { code: "quota_exceeded", label: "Quota exceeded", color: "#ca8a04" },
  { code: "validation_failed", label: "Input rejected", color: "#0891b2" },
  { code: "bad_request", label: "Bad request", color: "#0284c7" },
  { code: "payload_too_large", label: "Body too large", color: "#4f46e5" },
];
const BY_CODE = new Map(SECURITY_CODES.map((c) => [c.code, c]));

export const codeLabel = (code: string) => BY_CODE.get(code)?.label ?? code;
export const codeColor = (code: string) => BY_CODE.get(code)?.color ?? "#71717a";

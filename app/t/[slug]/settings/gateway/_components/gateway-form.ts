import { MIN_BODY_BYTES, type GatewaySettings, type UpdateGatewaySettingsInput } from "@/lib/tenants/gateway-settings-schemas";

export const SIZE_UNITS = { KiB: 1024, MiB: 1_048_576 } as const;
export type SizeUnit = keyof typeof SIZE_UNITS;

/** What the form holds: text as typed, so a half-typed value is never rewritten under the cursor. */
export type GatewayForm = {
  ips: string;
  bodySize: string;
  bodyUnit: SizeUnit;
  rateLimited: boolean;
  rateRequests: string;
  rateWindow: string;
  redisFailureMode: GatewaySettings["redisFailureMode"];
};

/** Field names as the API keys its `error.fields`. */
export type FieldName = "ipAllowlist" | "maxBodyBytes" | "rateLimit.requests" | "rateLimit.windowSeconds" | "redisFailureMode";

/** 1048576 → "1 MiB", 1536 → "1.5 KiB", 2000 → "2000 bytes" */
export function formatBytes(bytes: number): string {
  const unit = bytes % SIZE_UNITS.MiB === 0 ? "MiB" : bytes % 1024 === 0 || bytes >= 1024 ? "KiB" : null;
  if (!unit) return `${bytes.toLocaleString("en-GB")} bytes`;
  const value = bytes / SIZE_UNITS[unit];
  return `${value.toLocaleString("en-GB", { maximumFractionDigits: 2 })} ${unit}`;
}

/** A byte count as the size field shows it: whole MiB in MiB, anything else in (exact) KiB. */
export function sizeOf(bytes: number): { size: string; unit: SizeUnit } {
  const unit: SizeUnit = bytes % SIZE_UNITS.MiB === 0 ? "MiB" : "KiB";
  return { size: String(bytes / SIZE_UNITS[unit]), unit };
}

export function formOf(settings: GatewaySettings): GatewayForm {
  const { size, unit } = sizeOf(settings.maxBodyBytes);
  return {
    ips: settings.ipAllowlist.join("\n"),
    bodySize: size,
    bodyUnit: unit,
    rateLimited: settings.rateLimit !== null,
    rateRequests: settings.rateLimit ? String(settings.rateLimit.requests) : "",
    rateWindow: String(settings.rateLimit?.windowSeconds ?? 60),
    redisFailureMode: settings.redisFailureMode,
  };
}

/** One entry per line (commas and spaces separate too); blank lines ignored. */
export function splitAllowlist(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The PATCH body: only the fields whose value differs from `current`, plus
 * what the browser can tell is wrong before asking (not a number, beyond the
 * platform's bounds). CIDR syntax is the API's to judge: its field error
 * lands under the allow-list.
 */
export function patchOf(form: GatewayForm, current: GatewaySettings): { patch: UpdateGatewaySettingsInput; errors: Partial<Record<FieldName, string>> } {
  const patch: UpdateGatewaySettingsInput = {};
  const errors: Partial<Record<FieldName, string>> = {};

  const ips = splitAllowlist(form.ips);
  if (!sameList(ips, current.ipAllowlist)) patch.ipAllowlist = ips;

  const size = Number(form.bodySize.trim());
  if (form.bodySize.trim() === "" || !Number.isFinite(size) || size <= 0) {
    errors.maxBodyBytes = "Enter a size, e.g. 1 MiB";
  } else {
    const bytes = Math.round(size * SIZE_UNITS[form.bodyUnit]);
    if (bytes !== current.maxBodyBytes) {
      if (bytes < MIN_BODY_BYTES) errors.maxBodyBytes = "At least 1 KiB";
      else if (bytes > current.maxBodyBytesLimit) errors.maxBodyBytes = `At most ${formatBytes(current.maxBodyBytesLimit)} on this platform`;
      else patch.maxBodyBytes = bytes;
    }
  }

  if (!form.rateLimited) {
    if (current.rateLimit !== null) patch.rateLimit = null;
  } else {
    const text = form.rateRequests.trim().replace(/[,_\s]/g, "");
    const requests = Number(text);
    const windowSeconds = Number(form.rateWindow);
    if (!/^\d+$/.test(text)) errors["rateLimit.requests"] = "A whole number of requests";
    else if (requests !== current.rateLimit?.requests || windowSeconds !== current.rateLimit.windowSeconds) {
      patch.rateLimit = { requests, windowSeconds };
    }
  }

  if (form.redisFailureMode !== current.redisFailureMode) patch.redisFailureMode = form.redisFailureMode;
  return { patch, errors };
}

/** Whether the form differs from what is saved (an unparsable value counts as a change: Save then says why). */
export function isDirty(form: GatewayForm, current: GatewaySettings): boolean {
  const { patch, errors } = patchOf(form, current);
  return Object.keys(patch).length > 0 || Object.keys(errors).length > 0;
}


import type { KeyScope } from "@/lib/keys/key-schemas";

/** The scopes as the create form offers them, in this order. */
export const SCOPE_OPTIONS: ReadonlyArray<{ scope: KeyScope; label: string; description: string }> = [
  { scope: "inference", label: "Inference", description: "Call models through the gateway" },
  { scope: "models:read", label: "Models: read", description: "List models and their settings" },
  { scope: "usage:read", label: "Usage: read", description: "Read usage and quotas" },
  { scope: "keys:read", label: "Keys: read", description: "List API keys (management API)" },
  { scope: "keys:write", label: "Keys: write", description: "Create, rotate and revoke keys within its own scopes" },
  { scope: "models:write", label: "Models: write", description: "Register and configure models" },
  { scope: "audit:read", label: "Audit log: read", description: "Read the tenant's audit log" },
];

export const GRACE_OPTIONS = [
  { seconds: 0, label: "Immediately", hint: "The current secret stops working now." },
  { seconds: 3600, label: "After 1 hour", hint: "Time to roll out the new secret." },
  { seconds: 86_400, label: "After 24 hours", hint: "For deployments that take a day." },
  { seconds: 7 * 86_400, label: "After 7 days", hint: "For clients you do not control." },
] as const;

/** "a, b\nc" → ["a", "b", "c"]; nothing → undefined (the field is left out). */
export function splitList(text: string): string[] | undefined {
  const items = text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", or the date. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  if (seconds < 30 * 86_400) return `${Math.floor(seconds / 86_400)} day${seconds < 2 * 86_400 ? "" : "s"} ago`;
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(iso));
}

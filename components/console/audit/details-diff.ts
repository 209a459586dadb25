/** One row of the drawer's before/after table. */
export type DiffRow = { path: string; before: string | null; after: string | null; change: "added" | "removed" | "changed" | "same" };

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix || "(value)", show(value));
  }
}

/**
 * `details.before` against `details.after`, field by field (nested objects
 * flattened to dotted paths; arrays compared whole). Null when the entry
 * records no change (no before/after).
 */
export function diffDetails(details: Record<string, unknown>): DiffRow[] | null {
  if (!("before" in details) && !("after" in details)) return null;
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  if (details.before !== undefined && details.before !== null) flatten(details.before, "", before);
  if (details.after !== undefined && details.after !== null) flatten(details.after, "", after);
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.map((path) => {
    const b = before.get(path) ?? null;
    const a = after.get(path) ?? null;
    const change = b === null ? "added" : a === null ? "removed" : a === b ? "same" : "changed";
    return { path, before: b, after: a, change };
  });
}

/** Everything in details except before/after (reason, email, ...), for the drawer's context list. */
export function contextOf(details: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(details)
    .filter(([k]) => k !== "before" && k !== "after")
    .map(([k, v]) => [k, show(v)]);
}

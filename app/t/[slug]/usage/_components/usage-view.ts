import { USAGE_PRESETS, type UsageGrouping, type UsagePreset } from "@/lib/usage/usage-schemas";

/** What the page asks for: a preset ending now, or a custom from/to (as the API takes them; without an offset in the tenant's zone). */
export type UsageSelection = { preset: UsagePreset } | { from: string; to: string };

/** Everything the dashboard shows, and so everything its URL carries (the API's own query parameters). */
export type UsageView = { selection: UsageSelection; by: UsageGrouping; keyId: string | null; model: string | null };

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

/**
 * The view a shared or reloaded URL names (`?range=7d&key=ID&model=echo&by=model`, or `?from=&to=`).
 * Unknown values fall back to the defaults; dates, key and model go to the API as given, which checks them.
 */
export function viewFromSearch(params: SearchParams): UsageView {
  const range = one(params.range);
  const from = one(params.from);
  const to = one(params.to);
  const selection: UsageSelection =
    from || to ? { from: from ?? "", to: to ?? "" } : { preset: USAGE_PRESETS.includes(range as UsagePreset) ? (range as UsagePreset) : "24h" };
  return { selection, by: one(params.by) === "model" ? "model" : "key", keyId: one(params.key) ?? null, model: one(params.model) ?? null };
}

/** The query string of a view; `by` left out where it does not matter (the export). */
export function usageSearch(view: Omit<UsageView, "by"> & { by?: UsageGrouping }): string {
  const params = new URLSearchParams();
  if ("preset" in view.selection) params.set("range", view.selection.preset);
  else {
    if (view.selection.from) params.set("from", view.selection.from);
    if (view.selection.to) params.set("to", view.selection.to);
  }
  if (view.keyId) params.set("key", view.keyId);
  if (view.model) params.set("model", view.model);
  if (view.by) params.set("by", view.by);
  return params.toString();
}

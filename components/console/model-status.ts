import type { BadgeTone } from "@/components/ui/badge";
import type { ModelView } from "@/lib/models/model-schemas";

/** A model's status badge: the tenant's models page and the operator's shared models. */
export function statusOf(model: Pick<ModelView, "enabled" | "split">): { tone: BadgeTone; label: string } {
  if (!model.enabled) return { tone: "neutral", label: "Disabled" };
  if (model.split) return { tone: "amber", label: "Canary" };
  return { tone: "green", label: "Serving" };
}

import { AppError } from "../../lib/errors/app-error";
import type { KeyScope } from "../../lib/keys/key-schemas";
import type { RouteId } from "../router";
import type { Stage } from "./types";

/** The scope each keyed route needs: calling a model, or reading what models exist. */
export const ROUTE_SCOPES: Partial<Record<RouteId, KeyScope>> = {
  "openai.chat_completions": "inference",
  "openai.completions": "inference",
  "openai.embeddings": "inference",
  "kserve.infer": "inference",
  "openai.models": "models:read",
  "kserve.model_metadata": "models:read",
};

export const scopeStage: Stage = {
  name: "scope",
  appliesTo: (route) => route.auth === "api_key",
  run(ctx) {
    const needed = ROUTE_SCOPES[ctx.route.id];
    if (!needed) throw new AppError("forbidden", "This route is not available to API keys");
    if (!ctx.principal!.scopes.includes(needed)) {
      throw new AppError("forbidden", `This API key lacks the "${needed}" scope`);
    }
  },
};

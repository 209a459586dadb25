import type { Logger } from "pino";
import { AppError } from "../lib/errors/app-error";
import type { RequestContext } from "./pipeline/types";
import { checkReadiness, type DependencyCheck } from "./readiness";
import type { HandlerResult } from "./respond";
import type { RouteId } from "./router";

export type RouteHandler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

async function requireReady(checks: readonly DependencyCheck[], logger: Logger): Promise<Record<string, string>> {
  const readiness = await checkReadiness(checks, logger);
  if (readiness.ready) return readiness.checks;
  const failed = Object.entries(readiness.checks).filter(([, r]) => r !== "ok");
  throw new AppError("service_unavailable", `Not ready: ${failed.map(([name]) => name).join(", ")} unavailable`, {
    fields: Object.fromEntries(failed),
    headers: { "retry-after": "5" },
  });
}

/** The inference routes' answer when the server is built without a forwarder (see gateway.ts). */
const noBackendYet: RouteHandler = () => {
  throw new AppError("service_unavailable", "No model backend is configured");
};

export function createHandlers(deps: { readiness: readonly DependencyCheck[]; logger: Logger }): Record<RouteId, RouteHandler> {
  return {
    healthz: () => ({ status: 200, body: { status: "ok" } }),
    readyz: async () => ({ status: 200, body: { status: "ready", checks: await requireReady(deps.readiness, deps.logger) } }),
    "kserve.health_live": () => ({ status: 200, body: { live: true } }),
    "kserve.health_ready": async () => {
      await requireReady(deps.readiness, deps.logger);
      return { status: 200, body: { ready: true } };
    },
    "openai.chat_completions": noBackendYet,
    "openai.completions": noBackendYet,
    "openai.embeddings": noBackendYet,
    "openai.models": noBackendYet,
    "kserve.infer": noBackendYet,
    "kserve.model_metadata": noBackendYet,
  };
}

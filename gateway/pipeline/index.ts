import { authenticateStage, denyAllApiKeys, queryCredentialStage } from "./authenticate";
import { DEFAULT_MAX_BODY_BYTES, declaredSizeStage } from "./body-limit";
import { contentTypeStage } from "./content-type";
import { readBodyStage } from "./read-body";
import type { ApiKeyVerifier, Stage } from "./types";

export type PipelineOptions = { maxBodyBytes?: number; apiKeys?: ApiKeyVerifier };

/**
 * The stages every routed request passes, cheapest rejection first (route
 * matching comes before, in the server). Later features insert theirs here:
 * key lookup replaces the verifier, then IP allow-lists, scope and model
 * access, rate limits and quotas go between `authenticate` and `read-body`;
 * input filtering after `read-body`.
 */
export function defaultPipeline(opts: PipelineOptions = {}): Stage[] {
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return [
    contentTypeStage,
    declaredSizeStage(maxBodyBytes),
    queryCredentialStage,
    authenticateStage(opts.apiKeys ?? denyAllApiKeys),
    readBodyStage(maxBodyBytes),
  ];
}

export type { ApiKeyPrincipal, ApiKeyVerifier, RequestContext, Stage } from "./types";

import type { Model, ModelVersion } from "../db/generated/client";
import { modelOutput, type ModelView, type ModelVersionView } from "./model-schemas";

/** A version row as read for views: never its sealed secret. */
export type VersionRow = Omit<ModelVersion, "credentialSecret"> & { credentialSecret?: never };
export type ModelRow = Model & { versions: VersionRow[] };

/** Selects every version column except the sealed secret (it never leaves lib/models/model-routing.ts). */
export const VERSION_VIEW_SELECT = {
  id: true,
  tenantId: true,
  modelId: true,
  label: true,
  backendUrl: true,
  credentialKind: true,
  credentialHeader: true,
  timeoutMs: true,
  maxConcurrency: true,
  createdAt: true,
  updatedAt: true,
} as const;

export const MODEL_WITH_VERSIONS = { versions: { select: VERSION_VIEW_SELECT, orderBy: { createdAt: "asc" } } } as const;

function trafficOf(model: Model, versionId: string): number {
  if (model.canaryVersionId === versionId) return model.canaryPercent ?? 0;
  if (model.defaultVersionId === versionId) return 100 - (model.canaryVersionId ? (model.canaryPercent ?? 0) : 0);
  return 0;
}

function toVersionView(model: Model, v: VersionRow): ModelVersionView {
  return {
    id: v.id,
    label: v.label,
    url: v.backendUrl,
    credential: v.credentialKind ? { kind: v.credentialKind as "bearer" | "header", header: v.credentialHeader ?? null } : null,
    timeoutMs: v.timeoutMs,
    maxConcurrency: v.maxConcurrency,
    trafficPercent: trafficOf(model, v.id),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

export function labelOf(model: ModelRow, versionId: string | null): string | null {
  return versionId ? (model.versions.find((v) => v.id === versionId)?.label ?? null) : null;
}

/** The only shape in which a model leaves lib/models: no credential, ever. */
export function toModelView(model: ModelRow): ModelView {
  const defaultLabel = labelOf(model, model.defaultVersionId);
  const canaryLabel = labelOf(model, model.canaryVersionId);
  return modelOutput.parse({
    id: model.id,
    name: model.name,
    protocol: model.protocol,
    description: model.description,
    enabled: model.enabled,
    visibility: model.visibility,
    access: "owner",
    sharedBy: null,
    defaultVersion: defaultLabel,
    split:
      canaryLabel && defaultLabel && model.canaryPercent
        ? {
            versions: [
              { version: defaultLabel, percent: 100 - model.canaryPercent },
              { version: canaryLabel, percent: model.canaryPercent },
            ],
          }
        : null,
    versions: model.versions.map((v) => toVersionView(model, v)),
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
  });
}

/** A shared model of another tenant, as its grantee sees it: read-only, no versions or backends. */
export function toGrantedModelView(model: Model, sharedBy: { name: string; slug: string }): ModelView {
  return modelOutput.parse({
    id: model.id,
    name: model.name,
    protocol: model.protocol,
    description: model.description,
    enabled: model.enabled,
    visibility: model.visibility,
    access: "granted",
    sharedBy,
    defaultVersion: null,
    split: null,
    versions: [],
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
  });
}

/** What an audit entry says about a model (before/after): plain settings, labels for versions. */
export function modelAuditView(model: ModelRow) {
  const view = toModelView(model);
  return {
    name: view.name,
    protocol: view.protocol,
    description: view.description,
    enabled: view.enabled,
    visibility: view.visibility,
    defaultVersion: view.defaultVersion,
    split: view.split ? view.split.versions.map((s) => `${s.version}:${s.percent}`).join(",") : null,
  };
}

/** What an audit entry says about a version: secrets only as "set" / "not set". */
export function versionAuditView(v: VersionRow) {
  return {
    label: v.label,
    url: v.backendUrl,
    // Named so the audit trail's secret redaction (lib/audit) keeps "set" / "not set" readable.
    backendAuth: v.credentialKind ? "set" : "not set",
    backendAuthKind: v.credentialKind === "header" ? `header ${v.credentialHeader}` : (v.credentialKind ?? null),
    timeoutMs: v.timeoutMs,
    maxConcurrency: v.maxConcurrency,
  };
}

/** The fields that differ, as `{ before, after }` for an audit entry (empty when nothing changed). */
export function auditDiff<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } | null {
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (!changed.length) return null;
  return {
    before: Object.fromEntries(changed.map((k) => [k, before[k]])) as Partial<T>,
    after: Object.fromEntries(changed.map((k) => [k, after[k]])) as Partial<T>,
  };
}

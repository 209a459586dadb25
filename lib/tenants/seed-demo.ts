import { randomUUID } from "node:crypto";
import { hashPassword } from "../auth/password";
import { getConfig } from "../config/env";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { createTenant } from "./create-tenant";

export const DEMO = {
  tenantSlug: "demo",
  tenantName: "Demo Inc.",
  email: "demo@modelgate.local",
  password: "modelgate-demo",
  operatorEmail: "operator@modelgate.local",
} as const;

/**
 * The demo tenant's models, served by scripts/echo-backend.ts. An `openai`
 * backend URL is the base that `/chat/completions`, `/completions` and
 * `/embeddings` are appended to; a `kserve-v2` one is the server root.
 */
export function demoModels(echoBackendPort: number = getConfig().ECHO_BACKEND_PORT) {
  const root = `http://127.0.0.1:${echoBackendPort}`;
  return [
    { name: "echo", protocol: "openai", backendUrl: `${root}/v1` },
    { name: "echo-kserve", protocol: "kserve-v2", backendUrl: root },
  ] as const;
}

/** Adds the demo models (one version "v1" each) the tenant does not have yet; never changes existing ones. */
export async function ensureDemoModels(tenantId: string, db: Db = getDb()): Promise<number> {
  return withTenant(
    tenantId,
    async (tx) => {
      let added = 0;
      for (const m of demoModels()) {
        if (await tx.model.findFirst({ where: { tenantId, name: m.name }, select: { id: true } })) continue;
        const modelId = randomUUID();
        const versionId = randomUUID();
        await tx.model.create({
          data: { id: modelId, tenantId, name: m.name, protocol: m.protocol, description: "Development echo backend", defaultVersionId: versionId },
        });
        await tx.modelVersion.create({ data: { id: versionId, tenantId, modelId, label: "v1", backendUrl: m.backendUrl } });
        added++;
      }
      return added;
    },
    db,
  );
}

/**
 * Creates the demo tenant, its owner and a platform operator, once, and adds
 * any missing demo model. Returns false when the demo tenant already existed.
 */
export async function seedDemo(db: Db = getDb()): Promise<boolean> {
  const existing = await db.tenant.findUnique({ where: { slug: DEMO.tenantSlug }, select: { id: true } });
  if (existing) {
    await ensureDemoModels(existing.id, db);
    return false;
  }
  const passwordHash = await hashPassword(DEMO.password);
  const owner = await db.user.upsert({
    where: { email: DEMO.email },
    update: {},
    create: { email: DEMO.email, name: "Demo Owner", passwordHash },
  });
  await db.user.upsert({
    where: { email: DEMO.operatorEmail },
    update: {},
    create: { email: DEMO.operatorEmail, name: "Platform Operator", passwordHash, isOperator: true },
  });
  const tenant = await createTenant(
    { name: DEMO.tenantName, slug: DEMO.tenantSlug },
    { ownerUserId: owner.id, actor: { type: "system", id: "seed" } },
    db,
  );
  await ensureDemoModels(tenant.id, db);
  return true;
}

import { PrismaPg } from "@prisma/adapter-pg";
import type { ITXClientDenyList } from "@prisma/client/runtime/client";
import { getConfig } from "../config/env";
import { PrismaClient } from "./generated/client";

/** Fields that never leave the database layer unless a query selects them by name. */
const GLOBAL_OMIT = {
  user: { passwordHash: true },
  userMfa: { totpSecret: true, pendingTotpSecret: true },
  userRecoveryCode: { codeHash: true },
  invitation: { tokenHash: true },
  modelVersion: { credentialSecret: true },
  tenantDataKey: { wrappedKey: true },
  platformDataKey: { wrappedKey: true },
} as const;

export function createPrismaClient(
  opts: { connectionString?: string; max?: number } = {},
) {
  const config = opts.connectionString ? undefined : getConfig();
  const adapter = new PrismaPg({
    connectionString: opts.connectionString ?? config!.DATABASE_URL,
    max: opts.max ?? config?.DATABASE_POOL_SIZE ?? 10,
  });
  return new PrismaClient({ adapter, omit: GLOBAL_OMIT });
}

export type Db = ReturnType<typeof createPrismaClient>;

/** A client bound to one open transaction (what the scope helpers hand out). */
export type TxClient = Omit<Db, ITXClientDenyList>;

const globalForPrisma = globalThis as unknown as { __modelgateDb?: Db };

/**
 * The process-wide client, connected as the application role. Tables without
 * tenant_id (tenants, users) may be read through it directly; tenant-owned
 * tables read empty here by design — reach them through lib/db/tenant-scope.
 */
export function getDb(): Db {
  globalForPrisma.__modelgateDb ??= createPrismaClient();
  return globalForPrisma.__modelgateDb;
}

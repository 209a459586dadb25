import { AppError } from "../errors/app-error";
import { getDb, type Db, type TxClient } from "./client";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertUuid(value: string, what: string): void {
  if (!UUID.test(value)) throw new AppError("not_found", `${what} not found`);
}

/**
 * The one way to reach tenant-owned rows: opens a transaction, sets
 * `app.tenant_id` transaction-locally (safe with pooled connections: it ends
 * with the transaction), and hands `fn` a client bound to it. Row-level
 * security then limits every read and write to this tenant, even a query that
 * forgets its `where: { tenantId }`.
 */
export async function withTenant<T>(
  tenantId: string,
  fn: (tx: TxClient) => Promise<T>,
  db: Db = getDb(),
): Promise<T> {
  assertUuid(tenantId, "Tenant");
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
    return fn(tx);
  });
}

/**
 * A signed-in user's own memberships across tenants (tenant switcher, sign-in),
 * read-only by policy `member_self_read`. Nothing else of any tenant is visible.
 */
export async function withUserSelf<T>(
  userId: string,
  fn: (tx: TxClient) => Promise<T>,
  db: Db = getDb(),
): Promise<T> {
  assertUuid(userId, "User");
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.user_id', ${userId}, true)`;
    return fn(tx);
  });
}

export type OperatorReadContext = {
  /**
   * A platform operator (`user` id, must have is_operator), or `system` for
   * trusted processes that hold database credentials themselves (the `mg` CLI,
   * workers), e.g. `{ type: "system", id: "cli:alice" }`.
   */
  actor: { type: "user"; id: string } | { type: "system"; id: string };
  /** Why the operator looks across tenants; stored in the audit entry. */
  reason: string;
  /** What is read, e.g. "audit_logs" or "memberships". */
  resource: string;
  requestId?: string;
};

/**
 * The one explicit path across tenants: read-only (policy `operator_read` is
 * FOR SELECT, and the transaction is READ ONLY), only for a platform operator
 * or a trusted system process, and recorded in the platform audit log in the
 * same transaction as the read.
 */
export async function withOperatorRead<T>(
  ctx: OperatorReadContext,
  fn: (tx: TxClient) => Promise<T>,
  db: Db = getDb(),
): Promise<T> {
  if (ctx.actor.type === "user") {
    assertUuid(ctx.actor.id, "User");
    const operator = await db.user.findUnique({ where: { id: ctx.actor.id }, select: { isOperator: true } });
    if (!operator?.isOperator) throw new AppError("forbidden", "Platform operators only");
  }
  return db.$transaction(async (tx) => {
    await tx.platformAuditLog.create({
      data: {
        action: "operator.read",
        actorType: ctx.actor.type === "user" ? "operator" : "system",
        actorId: ctx.actor.id,
        targetType: ctx.resource,
        reason: ctx.reason,
        requestId: ctx.requestId,
      },
    });
    await tx.$executeRaw`SELECT set_config('app.operator_read', 'on', true)`;
    await tx.$executeRaw`SET TRANSACTION READ ONLY`;
    return fn(tx);
  });
}

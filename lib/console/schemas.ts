import { z } from "zod";
import { tenantOutput } from "../tenants/tenant-schemas";

const isoDate = z.date().transform((d) => d.toISOString());
const role = z.enum(["owner", "admin", "developer", "viewer"]);

/** A tenant as listed for the signed-in user, with their role in it. */
export const userTenantOutput = tenantOutput.extend({ role });
export type UserTenant = z.output<typeof userTenantOutput>;

/** A membership as the members API returns it: never more than these fields. */
export const memberOutput = z.object({
  id: z.uuid(),
  role,
  createdAt: isoDate,
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
});
export type Member = z.output<typeof memberOutput>;

export const auditEntryOutput = z.object({
  id: z.uuid(),
  action: z.string(),
  actor: z.object({
    type: z.enum(["user", "api_key", "operator", "system"]),
    id: z.string().nullable(),
    /** What the console shows: a user's email, "System (seed)", "API key 1a2b3c4d"... */
    label: z.string(),
  }),
  target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  outcome: z.enum(["success", "failure", "denied"]),
  requestId: z.string().nullable(),
  createdAt: isoDate,
});
export type AuditEntry = z.output<typeof auditEntryOutput>;

export const auditQuery = z.object({
  limit: z.coerce
    .number({ message: "limit must be a number" })
    .int("limit must be an integer")
    .min(1, "limit must be at least 1")
    .max(100, "limit must be at most 100")
    .default(50),
});

import { z } from "zod";

export const RESERVED_SLUGS = new Set([
  "admin", "api", "app", "auth", "login", "logout", "new", "onboarding", "operator",
  "settings", "signup", "static", "system", "t", "www",
]);

export const tenantNameSchema = z
  .string({ message: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

export const tenantSlugSchema = z
  .string({ message: "Slug is required" })
  .trim()
  .toLowerCase()
  .min(1, "Slug is required")
  .max(48, "Slug must be at most 48 characters")
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    "Slug may contain lowercase letters, digits and inner hyphens only",
  )
  .refine((s) => !RESERVED_SLUGS.has(s), "This slug is reserved");

export const createTenantInput = z.object({
  name: tenantNameSchema,
  slug: tenantSlugSchema.optional(),
});
export type CreateTenantInput = z.input<typeof createTenantInput>;

/** What the API returns for a tenant: never more than these fields. */
export const tenantOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  status: z.enum(["active", "suspended"]),
  createdAt: z.date().transform((d) => d.toISOString()),
});

/** "Acme Corp." → "acme-corp" */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
}

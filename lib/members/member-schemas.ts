import { z } from "zod";
import { emailSchema } from "../auth/sign-up-schemas";

export const roleSchema = z.enum(["owner", "admin", "developer", "viewer"], {
  message: "Role must be one of owner, admin, developer, viewer",
});

export const changeRoleInput = z.object({ role: roleSchema });

export const createInvitationInput = z.object({ email: emailSchema, role: roleSchema });

export const acceptInvitationInput = z.object({
  token: z.string({ message: "Token is required" }).trim().min(1, "Token is required").max(200, "Token is too long"),
});

const isoDate = z.date().transform((d) => d.toISOString());

export const invitationStatus = z.enum(["pending", "expired", "accepted", "revoked"]);
export type InvitationStatus = z.infer<typeof invitationStatus>;

/** An invitation as the API lists it: never its token or hash. */
export const invitationOutput = z.object({
  id: z.uuid(),
  email: z.string(),
  role: roleSchema,
  status: invitationStatus,
  expiresAt: isoDate,
  createdAt: isoDate,
  invitedBy: z.object({ id: z.uuid(), email: z.string(), name: z.string() }).nullable(),
});
export type InvitationView = z.output<typeof invitationOutput>;

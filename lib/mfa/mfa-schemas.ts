import { z } from "zod";

export const totpCodeSchema = z
  .string({ message: "Enter the 6-digit code from your authenticator app" })
  .trim()
  .regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app");

export const recoveryCodeSchema = z
  .string({ message: "Enter a recovery code" })
  .trim()
  .regex(/^[A-Za-z0-9]{5}[\s-]?[A-Za-z0-9]{5}$/, "A recovery code looks like abcde-12345");

export const confirmEnrollmentInput = z.object({ code: totpCodeSchema });

/** A step-up: a TOTP code or a recovery code, exactly one. */
export const stepUpInput = z
  .object({ code: totpCodeSchema.optional(), recoveryCode: recoveryCodeSchema.optional() })
  .refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), {
    message: "Send either a code from your authenticator app or a recovery code",
    path: ["code"],
  });

import { z } from "zod";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "./password-policy";

export const emailSchema = z
  .string({ message: "Email is required" })
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email must be at most 254 characters")
  .pipe(z.email("Enter a valid email address"));

export const newPasswordSchema = z
  .string({ message: "Password is required" })
  .min(1, "Password is required")
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

export const signUpInput = z
  .object({
    name: z.string({ message: "Name is required" }).trim().min(1, "Name is required").max(100, "Name must be at most 100 characters"),
    email: emailSchema,
    password: newPasswordSchema,
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, { email: v.email, name: v.name });
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });

export const changePasswordInput = z.object({
  currentPassword: z.string().max(1024).optional(),
  newPassword: newPasswordSchema,
});

import { z } from "zod";
import { changePasswordInput } from "../../auth/sign-up-schemas";
import { acceptInvitationInput, roleSchema } from "../../members/member-schemas";
import { confirmEnrollmentInput, stepUpInput } from "../../mfa/mfa-schemas";
import { jsonSchemaOf } from "../json-schema";
import {
  arrayOf,
  dataResponse,
  jsonRequestBody,
  SESSION_ONLY,
  userErrorResponses,
  type Operation,
  type Paths,
} from "../spec-helpers";

// What the account routes answer (issue 3's routes build these objects inline;
// these schemas describe them for the document).
const iso = z.string().describe("ISO 8601 date-time");
const mfaStatus = z.object({ enabled: z.boolean(), enabledAt: iso.nullable(), recoveryCodesLeft: z.number().int() });
const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()).describe("Shown once; stored hashed.") });
const enrollment = z.object({
  secret: z.string().describe("The new TOTP secret (base32), for manual entry."),
  otpauthUri: z.string(),
  qrCodeDataUrl: z.string().describe("The otpauth URI as a PNG data URL."),
});
const session = z.object({
  id: z.uuid(),
  current: z.boolean(),
  authMethod: z.enum(["password", "oidc"]),
  createdAt: iso,
  lastSeenAt: iso,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
const linkPassword = z.object({ password: z.string().min(1).max(1024) });
const accepted = z.object({ tenant: z.object({ slug: z.string(), name: z.string() }), role: roleSchema });

const out = (schema: z.ZodType) => jsonSchemaOf(schema, "output");
const body = (schema: z.ZodType) => jsonRequestBody(jsonSchemaOf(schema, "input"));
const TAGS = ["Account"];
const STEP_UP = "Sensitive: needs a session with MFA enrolled (else 403 `mfa_enrollment_required`) and a step-up within the window (else 401 `step_up_required`).";

function op(o: Omit<Operation, "tags" | "security">): Operation {
  return { tags: TAGS, security: SESSION_ONLY, ...o };
}

export const accountPaths: Paths = {
  "/api/v1/account/mfa": {
    get: op({
      operationId: "getMfaStatus",
      summary: "Your MFA state",
      responses: { "200": dataResponse("Whether TOTP is on, and recovery codes left.", out(mfaStatus)), ...userErrorResponses() },
    }),
    delete: op({
      operationId: "disableMfa",
      summary: "Turn MFA off",
      description: `${STEP_UP} Every other session of the user ends.`,
      responses: { "200": dataResponse("MFA is off.", out(z.object({ enabled: z.literal(false) }))), ...userErrorResponses() },
    }),
  },
  "/api/v1/account/mfa/enrollment": {
    post: op({
      operationId: "startMfaEnrollment",
      summary: "Start TOTP enrolment",
      description: "A new secret with its QR code. When MFA is already on this is a reset and needs a step-up.",
      responses: { "200": dataResponse("The pending secret.", out(enrollment)), ...userErrorResponses() },
    }),
  },
  "/api/v1/account/mfa/enrollment/confirm": {
    post: op({
      operationId: "confirmMfaEnrollment",
      summary: "Confirm TOTP enrolment",
      description: "With a code from the new secret; answers the ten recovery codes, the only time they are shown. Wrong code: 401 `invalid_mfa_code`.",
      requestBody: body(confirmEnrollmentInput),
      responses: {
        "200": dataResponse("MFA is on.", out(recoveryCodes.extend({ enabled: z.literal(true) }))),
        ...userErrorResponses("400", "415", "429"),
      },
    }),
  },
  "/api/v1/account/mfa/recovery-codes": {
    post: op({
      operationId: "regenerateRecoveryCodes",
      summary: "New recovery codes",
      description: `${STEP_UP} The old codes stop working.`,
      responses: { "200": dataResponse("Ten new codes, shown once.", out(recoveryCodes)), ...userErrorResponses() },
    }),
  },
  "/api/v1/account/step-up": {
    post: op({
      operationId: "stepUp",
      summary: "Verify MFA for sensitive actions",
      description:
        "A TOTP code or a recovery code (exactly one). On success the session is replaced by a new one (new cookie) " +
        "allowed sensitive actions until `stepUpUntil`. Wrong code: 401 `invalid_mfa_code`; too many: 429.",
      requestBody: body(stepUpInput),
      responses: {
        "200": dataResponse("Step-up done.", out(z.object({ stepUpUntil: iso }))),
        ...userErrorResponses("400", "415", "429"),
      },
    }),
  },
  "/api/v1/account/password": {
    post: op({
      operationId: "changePassword",
      summary: "Change your password",
      description: "Other sessions end; this one gets a new cookie.",
      requestBody: body(changePasswordInput),
      responses: { "200": dataResponse("Changed.", out(z.object({ changed: z.literal(true) }))), ...userErrorResponses("400", "415", "429") },
    }),
  },
  "/api/v1/account/sessions": {
    get: op({
      operationId: "listSessions",
      summary: "Your active sessions",
      responses: { "200": dataResponse("Sessions; `current` marks this one.", arrayOf(out(session))), ...userErrorResponses() },
    }),
    delete: op({
      operationId: "signOutOtherSessions",
      summary: "Sign out everywhere else",
      responses: { "200": dataResponse("How many sessions ended.", out(z.object({ ended: z.number().int() }))), ...userErrorResponses() },
    }),
  },
  "/api/v1/account/identities/link": {
    post: op({
      operationId: "authorizeIdentityLink",
      summary: "Start linking the OIDC provider",
      description: "Confirms the password and sets a 10-minute link cookie; the provider's sign-in then links instead of signing in.",
      requestBody: body(linkPassword),
      responses: { "200": dataResponse("Go on to the provider.", out(z.object({ provider: z.literal("oidc") }))), ...userErrorResponses("400", "415", "429") },
    }),
  },
  "/api/v1/account/identities/{id}": {
    delete: op({
      operationId: "unlinkIdentity",
      summary: "Unlink a provider identity",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: { "200": dataResponse("Unlinked.", out(z.object({ unlinked: z.literal(true) }))), ...userErrorResponses("404", "409") },
    }),
  },
  "/api/v1/account/invitations": {
    post: op({
      operationId: "acceptInvitation",
      summary: "Accept an invitation",
      description: "Expired, used and revoked links are 410; a link for another email is 403 `invitation_email_mismatch`.",
      requestBody: body(acceptInvitationInput),
      responses: { "200": dataResponse("You are now a member.", out(accepted)), ...userErrorResponses("400", "404", "410", "415") },
    }),
  },
};


import { createInvitationInput, invitationOutput } from "../../members/member-schemas";
import { jsonSchemaOf } from "../json-schema";
import { arrayOf, dataResponse, errorResponses, jsonRequestBody, noContent, ref, SESSION_ONLY, type Paths } from "../spec-helpers";

const invitation = jsonSchemaOf(invitationOutput, "output");
const TAGS = ["Members"];

export const invitationPaths: Paths = {
  "/api/v1/tenants/{slug}/invitations": {
    get: {
      operationId: "listInvitations",
      summary: "Open invitations",
      description: "Pending and expired invitations, newest first. Never a token.",
      tags: TAGS,
      security: SESSION_ONLY,
      "x-modelgate-permission": "members.write",
      parameters: [ref("parameters", "slug")],
      responses: { "200": dataResponse("Invitations.", arrayOf(invitation)), ...errorResponses() },
    },
    post: {
      operationId: "createInvitation",
      summary: "Invite someone",
      description:
        "By email, with a role. Sensitive (MFA step-up). The answer carries the invitation link (`url`) once; only its hash is stored.",
      tags: TAGS,
      security: SESSION_ONLY,
      "x-modelgate-permission": "members.write",
      parameters: [ref("parameters", "slug")],
      requestBody: jsonRequestBody(jsonSchemaOf(createInvitationInput, "input")),
      responses: {
        "201": dataResponse("The invitation and its link.", {
          allOf: [invitation, { type: "object", properties: { url: { type: "string" } }, required: ["url"] }],
        }),
        ...errorResponses("400", "409", "415"),
      },
    },
  },
  "/api/v1/tenants/{slug}/invitations/{id}": {
    delete: {
      operationId: "revokeInvitation",
      summary: "Revoke an invitation",
      description: "Its link stops working.",
      tags: TAGS,
      security: SESSION_ONLY,
      "x-modelgate-permission": "members.write",
      parameters: [ref("parameters", "slug"), { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: { "204": noContent("Revoked."), ...errorResponses("409") },
    },
  },
};

import { changeRoleInput } from "../../members/member-schemas";
import { jsonSchemaOf } from "../json-schema";
import { arrayOf, dataResponse, errorResponses, jsonRequestBody, noContent, ref, SESSION_ONLY, type Paths } from "../spec-helpers";

const STEP_UP = "Sensitive: needs a fresh MFA step-up (401 `step_up_required`, 403 `mfa_enrollment_required`).";

export const memberPaths: Paths = {
  "/api/v1/tenants/{slug}/members": {
    get: {
      operationId: "listMembers",
      summary: "List the tenant's members",
      tags: ["Members"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "members.read",
      parameters: [ref("parameters", "slug")],
      responses: { "200": dataResponse("The members, oldest first.", arrayOf(ref("schemas", "Member"))), ...errorResponses() },
    },
  },
  "/api/v1/tenants/{slug}/members/{id}": {
    get: {
      operationId: "getMember",
      summary: "Read one membership",
      tags: ["Members"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "members.read",
      parameters: [ref("parameters", "slug"), ref("parameters", "memberId")],
      responses: { "200": dataResponse("The membership.", ref("schemas", "Member")), ...errorResponses() },
    },
    patch: {
      operationId: "changeMemberRole",
      summary: "Change a member's role",
      description: `${STEP_UP} Only owners grant or take away the owner role; the last owner cannot be demoted (409).`,
      tags: ["Members"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "members.write",
      parameters: [ref("parameters", "slug"), ref("parameters", "memberId")],
      requestBody: jsonRequestBody(jsonSchemaOf(changeRoleInput, "input")),
      responses: { "200": dataResponse("The membership.", ref("schemas", "Member")), ...errorResponses("400", "409", "415") },
    },
    delete: {
      operationId: "removeMember",
      summary: "Remove a member",
      description: `${STEP_UP} Never the last owner (409).`,
      tags: ["Members"],
      security: SESSION_ONLY,
      "x-modelgate-permission": "members.write",
      parameters: [ref("parameters", "slug"), ref("parameters", "memberId")],
      responses: { "204": noContent("Removed."), ...errorResponses("409") },
    },
  },
};

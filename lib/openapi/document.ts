import { buildComponents } from "./components";
import { accountPaths } from "./paths/account";
import { auditPaths } from "./paths/audit";
import { invitationPaths } from "./paths/invitations";
import { keyPaths } from "./paths/keys";
import { memberPaths } from "./paths/members";
import { metaPaths } from "./paths/meta";
import { modelPaths } from "./paths/models";
import { quotaPaths } from "./paths/quotas";
import { retentionPaths } from "./paths/retention";
import { tenantPaths } from "./paths/tenants";
import { usagePaths } from "./paths/usage";
import type { Paths } from "./spec-helpers";

/**
 * Every /api/v1 route, one module per resource. A route file under
 * app/api/v1 without an entry here fails lib/openapi/document.test.ts.
 */
const PATHS: Paths[] = [tenantPaths, memberPaths, invitationPaths, auditPaths, keyPaths, accountPaths, metaPaths, modelPaths, usagePaths, quotaPaths, retentionPaths];

let cached: Record<string, unknown> | undefined;

/** The management API's OpenAPI 3.1 document, built from the routes' own zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  cached ??= {
    openapi: "3.1.0",
    info: {
      title: "ModelGate management API",
      version: "1",
      description:
        "Manage a ModelGate tenant's API keys, members and audit trail, and your own account. Authenticate with the console's " +
        "session cookie or, for automation, `Authorization: Bearer <API key>` with management scopes. " +
        'Successful responses are `{"data": ...}`; errors are `{"error": {"code", "message", "request_id", "fields"?}}` ' +
        "with a stable `code`. Another tenant's resources answer 404, never 403.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Tenants" },
      { name: "Members" },
      { name: "Account" },
      { name: "API keys" },
      { name: "Models" },
      { name: "Audit" },
      { name: "Usage" },
      { name: "Quotas" },
      { name: "Webhooks" },
      { name: "Retention" },
      { name: "Workers" },
      { name: "Operator" },
      { name: "Meta" },
    ],
    paths: Object.assign({}, ...PATHS),
    components: buildComponents(),
  };
  return cached;
}

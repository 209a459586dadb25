import { withOperatorRoute } from "@/lib/auth/operator-route";
import { revokeModelGrant } from "@/lib/models/model-grants";

type Params = { id: string; tenant: string };

/** Revokes a tenant's grant of a shared model; its gateways refuse the model within a second. Idempotent; MFA step-up. */
export const DELETE = withOperatorRoute<Params>(
  async (ctx) => {
    await revokeModelGrant(ctx.params.id, ctx.params.tenant, { ...ctx.audit, actor: { type: "user", id: ctx.user.id } });
    return new Response(null, { status: 204 });
  },
  { permission: "platform.models.grant", stepUp: true },
);

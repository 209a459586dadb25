import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { readJsonBody } from "@/lib/auth/route-common";
import { parseInput } from "@/lib/errors/validation";
import { grantModel, listModelGrants } from "@/lib/models/model-grants";
import { grantInput, modelGrantOutput } from "@/lib/models/model-schemas";

type Params = { id: string };

/** The tenants a shared model is granted to. */
export const GET = withOperatorRoute<Params>(
  async (ctx) => {
    const grants = await listModelGrants(ctx.params.id, { ...ctx.audit, actor: { type: "user", id: ctx.user.id } });
    return NextResponse.json({ data: modelGrantOutput.array().parse(grants) });
  },
  { permission: "platform.models.grant" },
);

/** Grants a shared model to a tenant (by slug). Idempotent; MFA step-up. */
export const POST = withOperatorRoute<Params>(
  async (ctx) => {
    const { tenant } = parseInput(grantInput, await readJsonBody(ctx.req));
    const grant = await grantModel(ctx.params.id, tenant, { ...ctx.audit, actor: { type: "user", id: ctx.user.id } });
    return NextResponse.json({ data: modelGrantOutput.parse(grant) }, { status: 201 });
  },
  { permission: "platform.models.grant", stepUp: true },
);

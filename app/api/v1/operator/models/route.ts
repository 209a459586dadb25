import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { listSharedModels, sharedModelOutput } from "@/lib/models/shared-models";

/** Every shared model (and every private one that still has grants), with its owner, versions and grantees (audited read). */
export const GET = withOperatorRoute(
  async (ctx) => {
    const models = await listSharedModels(ctx.operatorRead);
    return NextResponse.json({ data: sharedModelOutput.array().parse(models) });
  },
  { permission: "platform.models.grant" },
);

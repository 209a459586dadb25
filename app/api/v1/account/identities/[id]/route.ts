import { NextResponse } from "next/server";
import { unlinkIdentity } from "@/lib/auth/identities";
import { requestMetaOf } from "@/lib/auth/request-meta";
import { withUserRoute } from "@/lib/auth/user-route";
import { AppError } from "@/lib/errors/app-error";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Unlinks a provider identity from the signed-in account. */
export const DELETE = withUserRoute<{ id: string }>(async (ctx) => {
  if (!UUID.test(ctx.params.id)) throw new AppError("not_found", "Linked identity not found");
  await unlinkIdentity(ctx.user, ctx.params.id, requestMetaOf(ctx));
  return NextResponse.json({ data: { unlinked: true } });
});

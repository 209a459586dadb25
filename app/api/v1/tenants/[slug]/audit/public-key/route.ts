import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { publicKeyView } from "@/lib/audit/audit-schemas";
import { getSigningKey } from "@/lib/audit/signing-key";

/** The Ed25519 public key checkpoints are signed with (SPKI PEM) and its id; `?format=pem` answers the PEM file alone. */
export const GET = withTenantRoute(
  async ({ req }) => {
    const key = getSigningKey();
    if (req.nextUrl.searchParams.get("format") === "pem") {
      return new Response(key.publicKeyPem, {
        headers: { "content-type": "application/x-pem-file", "content-disposition": `attachment; filename="modelgate-audit-${key.keyId}.pem"` },
      });
    }
    return NextResponse.json({ data: publicKeyView.parse({ algorithm: "Ed25519", keyId: key.keyId, publicKeyPem: key.publicKeyPem }) });
  },
  { permission: "audit.read", apiKeys: true },
);

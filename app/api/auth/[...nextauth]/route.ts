import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions } from "@/lib/auth/auth-options";

type Segment = { params: Promise<{ nextauth: string[] }> };

// Options are built per request (lazily, once), not at import: see getAuthOptions.
function handler(req: NextRequest, segment: Segment): Promise<Response> {
  return NextAuth(req, segment, getAuthOptions());
}

export { handler as GET, handler as POST };

import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/openapi/document";

// Built from code only (no request, no database): rendered once at build time.
export const dynamic = "force-static";

export function GET() {
  return NextResponse.json(openApiDocument(), {
    headers: { "cache-control": "public, max-age=300" },
  });
}

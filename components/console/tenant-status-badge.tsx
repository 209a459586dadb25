import { Badge } from "@/components/ui/badge";

export function TenantStatusBadge({ status }: { status: "active" | "suspended" }) {
  return status === "active" ? (
    <Badge tone="green" dot>
      Active
    </Badge>
  ) : (
    <Badge tone="red" dot>
      Suspended
    </Badge>
  );
}

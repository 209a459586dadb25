import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Role } from "@/lib/db/generated/enums";
import { ROLE_LABELS } from "@/lib/auth/permissions";

const TONES: Record<Role, BadgeTone> = {
  owner: "brand",
  admin: "green",
  developer: "amber",
  viewer: "neutral",
};

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={TONES[role]}>{ROLE_LABELS[role]}</Badge>;
}

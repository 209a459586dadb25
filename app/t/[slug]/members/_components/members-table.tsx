"use client";

import { RoleBadge } from "@/components/console/role-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { MembersIcon } from "@/components/ui/icons";
import { Select } from "@/components/ui/select";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { formatDate } from "@/lib/console/format";
import type { Member } from "@/lib/console/schemas";
import type { Role } from "@/lib/db/generated/enums";

export const ROLES: Role[] = ["owner", "admin", "developer", "viewer"];

type Props = {
  members: Member[];
  currentUserId?: string;
  /** Role changes and removal offered (the server checks again). */
  manage?: {
    canManageOwners: boolean;
    busyId: string | null;
    onRoleChange: (member: Member, role: Role) => void;
    onRemove: (member: Member) => void;
  };
};

export function MembersTable({ members, currentUserId, manage }: Props) {
  if (members.length === 0) {
    return <EmptyState icon={<MembersIcon />} title="No members yet" description="Members you invite will appear here." />;
  }
  return (
    <Table>
      <THead>
        <TH>Email</TH>
        <TH>Name</TH>
        <TH>Role</TH>
        <TH>Joined</TH>
        {manage && <TH className="text-right">Actions</TH>}
      </THead>
      <TBody>
        {members.map((m) => {
          // Only owners may touch an owner, or make someone one.
          const editable = manage && (manage.canManageOwners || m.role !== "owner");
          return (
            <TR key={m.id} data-testid="member-row">
              <TD className="font-medium text-zinc-900">
                {m.user.email}
                {m.user.id === currentUserId && (
                  <span className="ml-2">
                    <Badge>You</Badge>
                  </span>
                )}
              </TD>
              <TD>{m.user.name || "—"}</TD>
              <TD>
                {editable ? (
                  <Select
                    aria-label={`Role of ${m.user.email}`}
                    value={m.role}
                    disabled={manage.busyId === m.id}
                    onChange={(e) => manage.onRoleChange(m, e.target.value as Role)}
                    className="w-36"
                  >
                    {ROLES.filter((r) => manage.canManageOwners || r !== "owner").map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABELS[r]}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <RoleBadge role={m.role} />
                )}
              </TD>
              <TD className="text-zinc-500 tabular-nums">{formatDate(m.createdAt)}</TD>
              {manage && (
                <TD className="text-right">
                  {editable && (
                    <Button variant="ghost" size="sm" onClick={() => manage.onRemove(m)} disabled={manage.busyId === m.id} aria-label={`Remove ${m.user.email}`}>
                      Remove
                    </Button>
                  )}
                </TD>
              )}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}

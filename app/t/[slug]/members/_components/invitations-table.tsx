"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InboxIcon } from "@/components/ui/icons";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { RoleBadge } from "@/components/console/role-badge";
import { formatDate } from "@/lib/console/format";
import type { InvitationView } from "@/lib/members/member-schemas";

export function InvitationsTable({
  invitations,
  busyId,
  onRevoke,
}: {
  invitations: InvitationView[];
  busyId: string | null;
  onRevoke: (invitation: InvitationView) => void;
}) {
  if (invitations.length === 0) {
    return <EmptyState icon={<InboxIcon />} title="No pending invitations" description="Invite someone to give them access to this tenant." />;
  }
  return (
    <Table>
      <THead>
        <TH>Email</TH>
        <TH>Role</TH>
        <TH>Status</TH>
        <TH>Expires</TH>
        <TH>Invited by</TH>
        <TH className="text-right">Actions</TH>
      </THead>
      <TBody>
        {invitations.map((i) => (
          <TR key={i.id} data-testid="invitation-row">
            <TD className="font-medium text-zinc-900">{i.email}</TD>
            <TD>
              <RoleBadge role={i.role} />
            </TD>
            <TD>{i.status === "expired" ? <Badge tone="red">Expired</Badge> : <Badge tone="amber">Pending</Badge>}</TD>
            <TD className="text-zinc-500 tabular-nums">{formatDate(i.expiresAt)}</TD>
            <TD className="text-zinc-500">{i.invitedBy?.email ?? "—"}</TD>
            <TD className="text-right">
              <Button variant="ghost" size="sm" onClick={() => onRevoke(i)} loading={busyId === i.id} aria-label={`Revoke invitation for ${i.email}`}>
                Revoke
              </Button>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

import { RoleBadge } from "@/components/console/role-badge";
import { MembersIcon } from "@/components/ui/icons";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDate } from "@/lib/console/format";
import type { Member } from "@/lib/console/schemas";

export function MembersTable({ members }: { members: Member[] }) {
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
      </THead>
      <TBody>
        {members.map((m) => (
          <TR key={m.id} data-testid="member-row">
            <TD className="font-medium text-zinc-900">{m.user.email}</TD>
            <TD>{m.user.name || "—"}</TD>
            <TD>
              <RoleBadge role={m.role} />
            </TD>
            <TD className="text-zinc-500 tabular-nums">{formatDate(m.createdAt)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

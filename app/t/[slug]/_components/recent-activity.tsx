import Link from "next/link";
import { AuditEntriesTable } from "@/components/console/audit-entries-table";
import { Card, CardHeader } from "@/components/ui/card";
import { AuditIcon, InboxIcon } from "@/components/ui/icons";
import { EmptyState } from "@/components/ui/table";
import type { AuditEntry } from "@/lib/console/schemas";

/** The last audit entries; `entries` is null when the role may not read the audit log. */
export function RecentActivity({ slug, entries }: { slug: string; entries: AuditEntry[] | null }) {
  return (
    <Card aria-labelledby="recent-activity">
      <CardHeader
        title={<span id="recent-activity">Recent activity</span>}
        description="The latest changes recorded in this tenant's audit log."
        actions={
          entries && entries.length > 0 ? (
            <Link href={`/t/${slug}/audit`} className="whitespace-nowrap text-sm font-medium text-brand-600 hover:text-brand-500">
              View all
            </Link>
          ) : null
        }
      />
      {entries === null ? (
        <EmptyState
          icon={<AuditIcon />}
          title="Activity is visible to owners and admins"
          description="Ask an owner or admin of this tenant if you need to review its audit log."
        />
      ) : entries.length === 0 ? (
        <EmptyState icon={<InboxIcon />} title="No activity yet" description="Changes to this tenant will appear here as they happen." />
      ) : (
        <AuditEntriesTable entries={entries} />
      )}
    </Card>
  );
}

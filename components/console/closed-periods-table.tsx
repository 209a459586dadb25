import { formatCount } from "@/components/console/quota-meter";
import { InboxIcon } from "@/components/ui/icons";
import { EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/console/format";

export type ClosedPeriodRow = {
  period: string;
  periodKey: string;
  requests: number;
  tokens: number;
  requestsLimit: number | null;
  tokensLimit: number | null;
  closedAt: string | Date;
};

/** The quota periods already closed, each against the limits in force then (tenant settings and the operator's tenant page). */
export function ClosedPeriodsTable({ history }: { history: ClosedPeriodRow[] }) {
  if (history.length === 0) {
    return <EmptyState icon={<InboxIcon />} title="No closed periods yet" description="A period is recorded shortly after it ends." />;
  }
  return (
    <Table>
      <THead>
        <TH>Period</TH>
        <TH>Requests</TH>
        <TH>Tokens</TH>
        <TH className="hidden md:table-cell">Closed</TH>
      </THead>
      <TBody>
        {history.map((h) => (
          <TR key={`${h.period}-${h.periodKey}`}>
            <TD className="font-mono text-xs">{h.periodKey}</TD>
            <TD>
              {formatCount(h.requests)}
              {h.requestsLimit !== null && <span className="text-zinc-400"> / {formatCount(h.requestsLimit)}</span>}
            </TD>
            <TD>
              {formatCount(h.tokens)}
              {h.tokensLimit !== null && <span className="text-zinc-400"> / {formatCount(h.tokensLimit)}</span>}
            </TD>
            <TD className="hidden text-xs text-zinc-500 md:table-cell">{formatDateTime(h.closedAt)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

import type { Agent } from "undici";
import { createSinkAgent, postToSink } from "./http-sink-client";
import type { ShipRecord } from "./ship-record";
import { readCa, type ElasticsearchSinkConfig } from "./sink-config";
import { SinkError, type SendResult, type Sink } from "./sink";

type BulkItem = { status?: number; error?: { type?: string; reason?: string } };
type BulkResponse = { errors?: boolean; items?: Record<string, BulkItem>[] };

/**
 * Elasticsearch `_bulk`: NDJSON of `create` actions (with a trailing newline)
 * into `<index>-audit` / `<index>-security`, each document with a stable `_id`
 * (`<tenant>:<seq>` or the security event's id). Items are checked one by one:
 * 2xx, or 409 (the document is already there from an earlier attempt), counts
 * as delivered; the records from the first other failure on are retried.
 */
export class ElasticsearchSink implements Sink {
  readonly type = "elasticsearch" as const;
  readonly name: string;
  private readonly agent: Agent;

  constructor(private readonly config: ElasticsearchSinkConfig) {
    this.name = config.name;
    this.agent = createSinkAgent(readCa(config));
  }

  ndjson(records: ShipRecord[]): string {
    const lines: string[] = [];
    for (const r of records) {
      lines.push(JSON.stringify({ create: { _index: `${this.config.index}-${r.stream}`, _id: r.docId } }));
      lines.push(JSON.stringify({ "@timestamp": r.time.toISOString(), ...r.event }));
    }
    return `${lines.join("\n")}\n`;
  }

  async send(records: ShipRecord[]): Promise<SendResult> {
    if (records.length === 0) return { acked: 0 };
    const headers: Record<string, string> = { "content-type": "application/x-ndjson" };
    if (this.config.apiKey) headers.authorization = `ApiKey ${this.config.apiKey}`;
    const { json } = await postToSink(this.agent, `${this.config.url}/_bulk`, headers, this.ndjson(records), (j) => {
      const err = (j as { error?: { type?: string; reason?: string } }).error;
      return err ? `${err.type ?? "error"}: ${err.reason ?? ""}` : undefined;
    });
    const items = (json as BulkResponse | undefined)?.items;
    if (!Array.isArray(items) || items.length !== records.length) {
      throw new SinkError(`_bulk answered ${items?.length ?? "no"} items for ${records.length} documents`);
    }
    for (let i = 0; i < items.length; i++) {
      const item = Object.values(items[i] ?? {})[0] ?? {};
      const status = item.status ?? 0;
      if ((status >= 200 && status < 300) || status === 409) continue;
      const reason = item.error ? `${item.error.type ?? "error"}: ${(item.error.reason ?? "").slice(0, 200)}` : `status ${status}`;
      return { acked: i, error: `document ${records[i]!.docId} refused (${status}): ${reason}` };
    }
    return { acked: records.length };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

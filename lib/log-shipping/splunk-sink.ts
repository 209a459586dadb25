import { hostname } from "node:os";
import type { Agent } from "undici";
import { createSinkAgent, postToSink } from "./http-sink-client";
import type { ShipRecord } from "./ship-record";
import { readCa, type SplunkSinkConfig } from "./sink-config";
import type { SendResult, Sink } from "./sink";

/**
 * Splunk HTTP Event Collector: one POST to `/services/collector/event` per
 * batch, the events as concatenated JSON envelopes (`time` in epoch seconds,
 * `sourcetype` `modelgate:audit` / `modelgate:security`), authenticated with
 * `Authorization: Splunk <token>`. HEC accepts or refuses a batch as a whole:
 * a 2xx answer acknowledges every event in it.
 */
export class SplunkSink implements Sink {
  readonly type = "splunk" as const;
  readonly name: string;
  private readonly agent: Agent;
  private readonly host = hostname();

  constructor(private readonly config: SplunkSinkConfig) {
    this.name = config.name;
    this.agent = createSinkAgent(readCa(config));
  }

  envelope(record: ShipRecord): string {
    return JSON.stringify({
      time: record.time.getTime() / 1000,
      host: this.host,
      source: this.config.source,
      sourcetype: `modelgate:${record.stream}`,
      ...(this.config.index ? { index: this.config.index } : {}),
      event: record.event,
    });
  }

  async send(records: ShipRecord[]): Promise<SendResult> {
    if (records.length === 0) return { acked: 0 };
    await postToSink(
      this.agent,
      `${this.config.url}/services/collector/event`,
      { authorization: `Splunk ${this.config.token}`, "content-type": "application/json" },
      records.map((r) => this.envelope(r)).join("\n"),
      (json) => (json as { text?: string }).text,
    );
    return { acked: records.length };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

import type { ShipRecord } from "./ship-record";

/**
 * What a sink reports for one batch (records of one tenant and stream, in
 * order): how many leading records it accepted. Records after the first one
 * it did not accept are sent again later, so `acked < records.length` comes
 * with the reason. A transport failure (refused, timeout, non-2xx) throws.
 */
export type SendResult = { acked: number; error?: string };

export interface Sink {
  readonly name: string;
  readonly type: "syslog" | "splunk" | "elasticsearch";
  send(records: ShipRecord[]): Promise<SendResult>;
  close(): Promise<void>;
}

/** Request timeout of every sink (connect, headers, body, a stalled syslog write). */
export const SINK_TIMEOUT_MS = 10_000;

/** A sink's failure, worded for a log line: never a token, key or request body. */
export class SinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SinkError";
  }
}

import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Local stand-ins for Splunk HEC and the Elasticsearch bulk API that check the
 * wire format strictly (a request that deviates gets a 400 and is recorded as
 * a protocol error) and can be told to fail requests or single items.
 */
export type Receiver<T> = {
  url: string;
  /** Accepted events in arrival order (resends included). */
  events: T[];
  /** Format violations seen (must stay empty). */
  protocolErrors: string[];
  requests: number;
  close(): Promise<void>;
};

async function listen(handler: (req: http.IncomingMessage, body: string) => { status: number; json: unknown }) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { status, json } = handler(req, Buffer.concat(chunks).toString("utf8"));
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export type HecEvent = { time: number; host: string; source: string; sourcetype: string; index?: string; event: Record<string, unknown> };

/** Splunk HEC: POST /services/collector/event, `Authorization: Splunk <token>`, concatenated JSON envelopes. */
export async function startHecReceiver(opts: { token: string; failFirst?: number }): Promise<Receiver<HecEvent>> {
  const r = { events: [] as HecEvent[], protocolErrors: [] as string[], requests: 0 };
  let toFail = opts.failFirst ?? 0;
  const bad = (msg: string) => {
    r.protocolErrors.push(msg);
    return { status: 400, json: { text: msg, code: 6 } };
  };
  const server = await listen((req, body) => {
    r.requests++;
    if (req.method !== "POST" || req.url !== "/services/collector/event") return bad(`unexpected ${req.method} ${req.url}`);
    if (!same(req.headers.authorization ?? "", `Splunk ${opts.token}`)) return { status: 401, json: { text: "Invalid token", code: 4 } };
    if (!String(req.headers["content-type"]).startsWith("application/json")) return bad("content-type");
    if (toFail > 0) {
      toFail--;
      return { status: 503, json: { text: "Server is busy", code: 9 } };
    }
    const envelopes: HecEvent[] = [];
    for (const line of body.split("\n")) {
      let e: HecEvent;
      try {
        e = JSON.parse(line) as HecEvent;
      } catch {
        return bad("an envelope is not one JSON object per line");
      }
      const keys = Object.keys(e).sort().join(",");
      if (keys !== "event,host,source,sourcetype,time" && keys !== "event,host,index,source,sourcetype,time") return bad(`envelope keys ${keys}`);
      if (typeof e.time !== "number" || !/^modelgate:(audit|security)$/.test(e.sourcetype) || typeof e.event !== "object") return bad("envelope fields");
      envelopes.push(e);
    }
    r.events.push(...envelopes);
    return { status: 200, json: { text: "Success", code: 0 } };
  });
  return Object.assign(r, server);
}

export type BulkDoc = { index: string; id: string; doc: Record<string, unknown> };

/**
 * Elasticsearch `_bulk`: NDJSON with a trailing newline, `Content-Type:
 * application/x-ndjson`, `create` actions with `_index` and `_id`. Stores by
 * id (a second create of an id is a 409, like Elasticsearch). `failItem(id)`
 * returning true makes that item fail with 429 this time.
 */
export async function startBulkReceiver(opts: { apiKey?: string; failItem?: (id: string) => boolean } = {}): Promise<Receiver<BulkDoc> & { stored: Map<string, BulkDoc> }> {
  const r = { events: [] as BulkDoc[], protocolErrors: [] as string[], requests: 0, stored: new Map<string, BulkDoc>() };
  const bad = (msg: string) => {
    r.protocolErrors.push(msg);
    return { status: 400, json: { error: { type: "parse_exception", reason: msg }, status: 400 } };
  };
  const server = await listen((req, body) => {
    r.requests++;
    if (req.method !== "POST" || req.url !== "/_bulk") return bad(`unexpected ${req.method} ${req.url}`);
    if (opts.apiKey && !same(req.headers.authorization ?? "", `ApiKey ${opts.apiKey}`)) return { status: 401, json: { error: { type: "security_exception", reason: "missing authentication credentials" }, status: 401 } };
    if (req.headers["content-type"] !== "application/x-ndjson") return bad(`content-type ${req.headers["content-type"]}`);
    if (!body.endsWith("\n")) return bad("the bulk request must be terminated by a newline");
    const lines = body.slice(0, -1).split("\n");
    if (lines.length % 2 !== 0) return bad("odd number of lines");
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const action = JSON.parse(lines[i]!) as { create?: { _index?: string; _id?: string } };
      const doc = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
      const meta = action.create;
      if (!meta || Object.keys(action).length !== 1 || !meta._index || !meta._id) return bad("action line");
      if (typeof doc["@timestamp"] !== "string") return bad("@timestamp");
      if (opts.failItem?.(meta._id)) {
        items.push({ create: { _index: meta._index, _id: meta._id, status: 429, error: { type: "es_rejected_execution_exception", reason: "rejected execution" } } });
        continue;
      }
      if (r.stored.has(meta._id)) {
        items.push({ create: { _index: meta._index, _id: meta._id, status: 409, error: { type: "version_conflict_engine_exception", reason: "document already exists" } } });
        continue;
      }
      const entry = { index: meta._index, id: meta._id, doc };
      r.stored.set(meta._id, entry);
      r.events.push(entry);
      items.push({ create: { _index: meta._index, _id: meta._id, status: 201, result: "created" } });
    }
    return { status: 200, json: { took: 1, errors: items.some((it) => (it.create as { status: number }).status >= 300), items } };
  });
  return Object.assign(r, server);
}

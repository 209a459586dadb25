import { Worker } from "node:worker_threads";

/**
 * Hashes pages of audit rows on a worker thread, so that verification
 * recomputes hashes while the main thread reads the next pages from
 * Postgres and checks links, seq continuity and checkpoints.
 *
 * A page is the `json_build_array(...)::text` rows readPage selects (see
 * verify-chain.ts). The worker parses each row, writes the canonical JSON of
 * chain-format.ts's canonicalEntryJson (RFC 8785: sorted keys, JSON.stringify
 * strings and numbers) and hashes prev_hash || canonical JSON with SHA-256.
 * It also checks the links inside the page, and answers with a summary
 * (PageSummary): whether the whole page is sound, and its ends. A page it
 * does not call sound is checked again entry by entry on the main thread
 * with computeEntryHash, which finds and describes the first break, so a
 * verdict of "broken" never rests on this code alone; verify-worker.test.ts
 * holds its verdicts to computeEntryHash's.
 *
 * The worker's code is plain JavaScript evaluated from a string (no file to
 * resolve, so it runs the same under tsx, the CLI and the Next server).
 */
const WORKER_SOURCE = String.raw`
const { parentPort } = require("node:worker_threads");
const { hash } = require("node:crypto");
const canon = (v) => {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) {
    let s = "[";
    for (let i = 0; i < v.length; i++) s += (i ? "," : "") + canon(v[i]);
    return s + "]";
  }
  const keys = Object.keys(v).sort();
  let s = "{";
  let first = true;
  for (const k of keys) {
    const x = v[k];
    if (x === undefined) continue;
    s += (first ? "" : ",") + JSON.stringify(k) + ":" + canon(x);
    first = false;
  }
  return s + "}";
};
const str = (v) => (v === null ? "null" : JSON.stringify(v));
parentPort.on("message", ({ id, tenantId, text }) => {
  const rows = text === "" ? [] : text.split("\n");
  const tenant = str(tenantId);
  let ok = true;
  let seq = 0, rid = "", prevHash = "", entryHash = "", firstSeq = 0, firstPrevHash = "";
  for (let i = 0; i < rows.length; i++) {
    const lastSeq = seq, lastHash = entryHash;
    let time, actorType, actorId, action, targetType, targetId, outcome, ip, userAgent, requestId, details;
    [rid, seq, time, actorType, actorId, action, targetType, targetId, outcome, ip, userAgent, requestId, details, prevHash, entryHash] = JSON.parse(rows[i]);
    if (i === 0) { firstSeq = seq; firstPrevHash = prevHash; }
    else if (seq !== lastSeq + 1 || prevHash !== lastHash) { ok = false; break; }
    const target = targetType === null && targetId === null ? "null" : '{"id":' + str(targetId) + ',"type":' + str(targetType) + "}";
    const iso = time.length === 24 ? time : new Date(time).toISOString();
    const json =
      '{"action":' + str(action) + ',"actor":{"id":' + str(actorId) + ',"type":' + str(actorType) + '},"details":' + canon(details ?? {}) +
      ',"id":' + str(rid) + ',"ip":' + str(ip) + ',"outcome":' + str(outcome) + ',"request_id":' + str(requestId) + ',"seq":' + JSON.stringify(seq) +
      ',"target":' + target + ',"tenant_id":' + tenant + ',"time":"' + iso + '","user_agent":' + str(userAgent) + ',"v":' + VERSION + "}";
    if (hash("sha256", prevHash + json, "hex") !== entryHash) { ok = false; break; }
  }
  parentPort.postMessage({ id, n: rows.length, ok, firstSeq, firstPrevHash, lastSeq: seq, lastId: rid, lastEntryHash: entryHash });
});
`;

/**
 * A page's summary: `ok` when every entry's hash matches and each entry
 * follows the one before it (seq + 1, prev_hash = its entry_hash); the first
 * entry's seq and prev_hash and the last one's seq, id and entry_hash, to
 * link the page to its neighbours. Not meaningful when `ok` is false.
 */
export type PageSummary = {
  n: number;
  ok: boolean;
  firstSeq: number;
  firstPrevHash: string;
  lastSeq: number;
  lastId: string;
  lastEntryHash: string;
};

export type PageHasher = {
  /** `text`: a page's rows, one JSON array text a line (readPage in verify-chain.ts). */
  hash(tenantId: string, text: string): Promise<PageSummary>;
  close(): Promise<void>;
};

/** One worker thread; pages are answered on their own promises. Close it when done. */
export function createPageHasher(chainFormatVersion: number): PageHasher {
  const pending = new Map<number, { resolve: (p: PageSummary) => void; reject: (e: unknown) => void }>();
  let next = 0;
  let failure: unknown = null;
  const failAll = (e: unknown) => {
    failure = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const worker = new Worker(`const VERSION = ${JSON.stringify(chainFormatVersion)};\n${WORKER_SOURCE}`, { eval: true });
  worker.on("message", ({ id, ...summary }: PageSummary & { id: number }) => {
    const p = pending.get(id);
    pending.delete(id);
    p?.resolve(summary);
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`the audit hashing worker exited (code ${code})`)));
  return {
    hash(tenantId, text) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<PageSummary>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, tenantId, text });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

import { afterAll, describe, expect, it } from "vitest";
import { CHAIN_FORMAT_VERSION, computeEntryHash, GENESIS_HASH, type ChainRow } from "./chain-format";
import { createPageHasher } from "./verify-worker";

const tenantId = "22222222-2222-4222-8222-222222222222";
type Entry = Omit<ChainRow, "prevHash" | "entryHash">;
const entry = (seq: number, over: Partial<Entry> = {}): Entry => ({
  id: `11111111-1111-4111-8111-${String(seq).padStart(12, "0")}`, tenantId, seq, createdAt: new Date(Date.UTC(2026, 10, 26, 8, 0, 0, seq)),
  actorType: "api_key", actorId: "k-1", action: "key.rotate", targetType: "api_key", targetId: "k-2", outcome: "success",
  ip: "2001:db8::1", userAgent: 'curl/8 "quoted" \\ \n', requestId: "req-\u2028", details: { n: seq }, ...over,
});
const tricky = [
  { z: [1, 1e21, 1e-7, 0.1, -0, 5e-324, 123456789012345680000, { b: null, a: "é" }], a: true, "😀": "x", "": "empty", "\u00e9": { e: "y", E: [] } },
  { s: "\u0001\u001f\u007f\t\"\\/ \u2028 😀", nested: { b: [true, false, null, {}], a: {} } },
  null, // stored as SQL NULL metadata: hashed as {}
];

/** A page as readPage sends it: one JSON array text a line, chained from `prev`. */
function page(entries: Entry[], prev = GENESIS_HASH): { text: string; hashes: string[] } {
  const hashes: string[] = [];
  const lines = entries.map((e) => {
    const h = computeEntryHash(prev, e);
    const line = JSON.stringify([e.id, e.seq, e.createdAt.toISOString(), e.actorType, e.actorId, e.action, e.targetType, e.targetId, e.outcome, e.ip, e.userAgent, e.requestId, e.details, prev, h]);
    prev = h;
    hashes.push(h);
    return line;
  });
  return { text: lines.join("\n"), hashes };
}

describe("the audit page hashing worker", () => {
  const hasher = createPageHasher(CHAIN_FORMAT_VERSION);
  afterAll(() => hasher.close());
  const entries = [
    entry(1), entry(2, { details: tricky[0] }), entry(3, { details: tricky[1] }), entry(4, { details: tricky[2] }),
    entry(5, { actorId: null, targetType: null, targetId: null, ip: null, userAgent: null, requestId: null }), entry(6, { targetId: null, action: "x.\u0001" }),
  ];

  it("agrees with computeEntryHash on every entry, and reports the page's ends", async () => {
    const { text, hashes } = page(entries);
    expect(await hasher.hash(tenantId, text)).toEqual({
      n: 6, ok: true, firstSeq: 1, firstPrevHash: GENESIS_HASH, lastSeq: 6, lastId: entries[5]!.id, lastEntryHash: hashes[5],
    });
  });

  it("calls a page unsound when one entry was edited, relinked or left out", async () => {
    const { text } = page(entries);
    const lines = text.split("\n");
    const edited = lines.map((l, i) => (i === 2 ? l.replace('"nested"', '"nestee"') : l)).join("\n");
    expect(await hasher.hash(tenantId, edited)).toMatchObject({ ok: false });
    const gap = lines.filter((_, i) => i !== 3).join("\n");
    expect(await hasher.hash(tenantId, gap)).toMatchObject({ ok: false });
    const relinked = page([entry(2)], "a".repeat(64)).text; // its own hash is right, but it follows another entry
    expect(await hasher.hash(tenantId, [lines[0], relinked].join("\n"))).toMatchObject({ ok: false });
    expect(await hasher.hash(tenantId, [lines[0], lines[1]].join("\n"))).toMatchObject({ ok: true });
    expect(await hasher.hash("33333333-3333-4333-8333-333333333333", text)).toMatchObject({ ok: false }); // another tenant's id is hashed in
  });

  it("answers an empty page with n = 0", async () => {
    expect(await hasher.hash(tenantId, "")).toMatchObject({ n: 0 });
  });
});

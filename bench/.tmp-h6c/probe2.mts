import { testEnv } from "/work/main/test/test-env";
Object.assign(process.env, testEnv());
const { runTenantRetention } = await import("/work/main/lib/retention/run-retention");
const { getDb } = await import("/work/main/lib/db/client");
const pg = (await import("pg")).default;
const su = new pg.Client({ connectionString: testEnv().MIGRATION_DATABASE_URL });
await su.connect();
for (const batchSize of [200, 10000]) {
  const slug = `probe-${Date.now().toString(36)}`;
  const t = (await su.query("INSERT INTO tenants (name, slug) VALUES ('p', $1) RETURNING id", [slug])).rows[0].id;
  await su.query(`INSERT INTO security_events (tenant_id, request_id, code, status, method, path, created_at)
       SELECT $1, 'old-' || g, 'rate_limited', 429, 'POST', '/v1/chat/completions', now() - interval '100 days' - g * interval '1 second'
       FROM generate_series(1, 200000) g`, [t]);
  const started = Date.now();
  const r = await runTenantRetention(t, { runKey: "probe", trigger: "manual", batchSize, classes: ["security_events"] });
  const ms = Date.now() - started;
  console.log(batchSize, r.classes[0]!.deletedCount, ms, "ms", Math.round(r.classes[0]!.deletedCount / ms * 1000), "rows/s");
}
await su.end();
process.exit(0);

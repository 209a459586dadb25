import { loadConfigOrExit } from "../lib/config/env";
import { getDb } from "../lib/db/client";
import { DEMO, seedDemo } from "../lib/tenants/seed-demo";

const config = loadConfigOrExit();
if (config.NODE_ENV === "production" && process.env.SEED_DEMO !== "1") {
  console.log("db:seed: NODE_ENV=production: demo tenant not seeded (set SEED_DEMO=1 to force)");
  process.exit(0);
}
try {
  const created = await seedDemo();
  console.log(
    created
      ? `db:seed: created tenant "${DEMO.tenantSlug}" with owner ${DEMO.email} / ${DEMO.password}`
      : `db:seed: tenant "${DEMO.tenantSlug}" already exists, nothing to do`,
  );
} catch (err) {
  console.error(`db:seed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await getDb().$disconnect();
}

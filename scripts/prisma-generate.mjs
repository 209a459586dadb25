// `prisma generate` without Prisma's downloadable schema engine: generation
// needs none, but the CLI insists that PRISMA_SCHEMA_ENGINE_BINARY names an
// existing file (STYLE.md, "Prisma's migration engine cannot be had here").
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

export function generatePrismaClient() {
  const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
  env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
  const r = spawnSync("npx", ["prisma", "generate"], { stdio: ["ignore", "pipe", "inherit"], env });
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? "");
    console.error("modelgate: prisma generate failed");
    process.exit(r.status ?? 1);
  }
  console.log("modelgate: generated the Prisma client into lib/db/generated");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) generatePrismaClient();

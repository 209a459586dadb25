// Installs what is missing before start/dev/test: npm dependencies (when the
// lockfile is newer than the install) and the generated Prisma client (when
// the schema is newer than it). Plain Node: it runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { generatePrismaClient } from "./prisma-generate.mjs";

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`modelgate: \`${cmd} ${args.join(" ")}\` failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

const installed = "node_modules/.package-lock.json";
if (!existsSync(installed) || mtime("package-lock.json") > mtime(installed)) {
  console.log("modelgate: installing dependencies (npm ci)...");
  run("npm", existsSync("package-lock.json") ? ["ci"] : ["install"], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" });
}

if (mtime("prisma/schema.prisma") > mtime("lib/db/generated/client.ts")) {
  generatePrismaClient();
}

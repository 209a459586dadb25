import { loadConfigOrExit } from "../lib/config/env";
import { migrate } from "../lib/db/migrate";

const config = loadConfigOrExit();
const password = new URL(config.DATABASE_URL).password || undefined;
const retentionPassword = new URL(config.RETENTION_DATABASE_URL).password || undefined;
try {
  const result = await migrate(config.MIGRATION_DATABASE_URL, {
    appRolePassword: password && decodeURIComponent(password),
    retentionRolePassword: retentionPassword && decodeURIComponent(retentionPassword),
    log: (line) => console.log(`db:migrate: ${line}`),
  });
  console.log(
    `db:migrate: database ${result.database}${result.created ? " (created)" : ""} is up to date` +
      ` (${result.applied.length} applied now)`,
  );
} catch (err) {
  console.error(`db:migrate: ${(err as Error).message}`);
  process.exit(1);
}

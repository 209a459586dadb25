import { defineConfig } from "prisma/config";

// Prisma 7 reads no .env on its own. The URL matters only to `prisma migrate`,
// which needs the owner role; `npm run db:migrate` applies the same SQL offline.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: {
    url:
      process.env.DATABASE_OWNER_URL ??
      "postgresql://modelgate_owner@127.0.0.1:5432/modelgate",
  },
});

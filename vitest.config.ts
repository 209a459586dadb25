import path from "node:path";
import { defineConfig } from "vitest/config";
import { testEnv } from "./test/test-env.ts";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{lib,gateway,workers,app,components,scripts}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
          env: testEnv(),
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{lib,gateway,workers,app,scripts,test}/**/*.integration.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          env: testEnv(),
          fileParallelism: false,
          // As Playwright on CI: one retry for a test that lost a race with a
          // loaded 2-core machine; `npm test` names every test that needed it.
          retry: process.env.CI ? 1 : 0,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});

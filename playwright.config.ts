import { defineConfig, devices } from "@playwright/test";
import { DEMO_STORAGE_STATE } from "./e2e/support/demo";
import { oidcTestEnv } from "./e2e/support/oidc";
import { testEnv } from "./test/test-env";

// The console under test: `next start` on the test port against the test
// database. Build first (`npx next build`); this config never builds.
const env = testEnv();
const baseURL = env.PUBLIC_URL!;
const port = new URL(baseURL).port || "3100";

// Debian's Chromium; Playwright never downloads a browser here.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";
const chromium = {
  ...devices["Desktop Chrome"],
  viewport: { width: 1440, height: 900 },
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  },
};

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "api", testMatch: /api\/.*\.spec\.ts/, use: { ...chromium } },
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...chromium } },
    {
      name: "signed-out",
      testMatch: /signed-out\/.*\.spec\.ts/,
      use: { ...chromium },
    },
    {
      name: "console",
      testMatch: /console\/.*\.spec\.ts/,
      dependencies: ["setup"],
      use: { ...chromium, storageState: DEMO_STORAGE_STATE },
    },
  ],
  webServer: {
    command: `npx next start -p ${port}`,
    url: `${baseURL}/api/health`,
    // OIDC: the test provider that e2e/global-setup.ts starts (e2e/support/oidc.ts).
    env: { ...(process.env as Record<string, string>), ...env, ...oidcTestEnv() },
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});

// The seeded demo account (lib/tenants/seed-demo.ts), as the tests use it.
export const DEMO_USER = {
  email: "demo@modelgate.local",
  password: "modelgate-demo",
  tenantSlug: "demo",
  tenantName: "Demo Inc.",
} as const;

/** A slug no earlier run has taken (the test database is not reset between e2e runs). */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
}

/** Where the setup project stores the demo owner's signed-in browser state (git-ignored). */
export const DEMO_STORAGE_STATE = "e2e/.auth/demo.json";

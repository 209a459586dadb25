// The e2e OpenID Connect provider (e2e/support/oidc-test-provider.ts), on a
// port of this test slot, and how the console under test is pointed at it.
const slot = Number(process.env.TEST_SLOT ?? 0);

export const OIDC_TEST = {
  port: 3107 + slot * 10,
  clientId: "modelgate-e2e",
  clientSecret: "e2e-client-secret-not-for-production",
  name: "Test IdP",
} as const;

export const OIDC_TEST_ISSUER = `http://127.0.0.1:${OIDC_TEST.port}`;

export function oidcTestEnv(): Record<string, string> {
  return {
    OIDC_ISSUER: OIDC_TEST_ISSUER,
    OIDC_CLIENT_ID: OIDC_TEST.clientId,
    OIDC_CLIENT_SECRET: OIDC_TEST.clientSecret,
    OIDC_NAME: OIDC_TEST.name,
  };
}

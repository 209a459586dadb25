import { expect, test, type APIRequestContext } from "@playwright/test";
import { testEnv } from "../../test/test-env";
import { DEMO_USER, uniqueSlug } from "../support/demo";

/** Signs `request` in as the demo owner through next-auth's credentials endpoint (cookie kept by the context). */
async function signIn(request: APIRequestContext): Promise<void> {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: DEMO_USER.email, password: DEMO_USER.password, json: "true" },
    maxRedirects: 0,
  });
  expect(res.status(), await res.text()).toBeLessThan(400);
  expect((await request.get("/api/v1/tenants")).status()).toBe(200);
}

const keysUrl = (slug: string) => `/api/v1/tenants/${slug}/keys`;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

test.describe("keys management API", () => {
  test("a session creates a key; the key then manages keys itself", async ({ request: session, playwright }) => {
    const request = await playwright.request.newContext({ baseURL: testEnv().PUBLIC_URL }); // no cookies: the key alone
    await signIn(session);
    const created = await session.post(keysUrl(DEMO_USER.tenantSlug), {
      data: { name: "e2e automation", scopes: ["keys:write", "inference"] },
    });
    expect(created.status()).toBe(201);
    expect(created.headers()["cache-control"]).toBe("no-store");
    const automation = (await created.json()).data;
    expect(automation.key).toMatch(/^mgk_/);

    const listed = await request.get(keysUrl(DEMO_USER.tenantSlug), { headers: bearer(automation.key) });
    expect(listed.status()).toBe(200);
    const listText = await listed.text();
    expect(JSON.parse(listText).data.map((k: { id: string }) => k.id)).toContain(automation.id);
    expect(listText).not.toContain(automation.key);

    const child = await request.post(keysUrl(DEMO_USER.tenantSlug), {
      headers: bearer(automation.key),
      data: { name: "e2e child", scopes: ["inference"] },
    });
    expect(child.status()).toBe(201);
    expect(child.headers()["cache-control"]).toBe("no-store");
    const childKey = (await child.json()).data;

    const rotated = await request.post(`${keysUrl(DEMO_USER.tenantSlug)}/${childKey.id}/rotate`, {
      headers: bearer(automation.key),
      data: { graceSeconds: 0 },
    });
    expect(rotated.status()).toBe(200);
    expect(rotated.headers()["cache-control"]).toBe("no-store");
    const rotatedKey = (await rotated.json()).data;
    expect(rotatedKey).toMatchObject({ id: childKey.id, generation: 2 });
    expect(rotatedKey.key).not.toBe(childKey.key);

    const read = await request.get(`${keysUrl(DEMO_USER.tenantSlug)}/${childKey.id}`, { headers: bearer(automation.key) });
    const readText = await read.text();
    expect(readText).not.toContain(rotatedKey.key);
    expect(JSON.parse(readText).data).not.toHaveProperty("key");

    const revoked = await request.post(`${keysUrl(DEMO_USER.tenantSlug)}/${childKey.id}/revoke`, { headers: bearer(automation.key) });
    expect(revoked.status()).toBe(200);
    expect((await revoked.json()).data.status).toBe("revoked");

    // Sensitive edits need MFA step-up, which a key cannot do.
    const scopes = await request.patch(`${keysUrl(DEMO_USER.tenantSlug)}/${automation.id}`, {
      headers: bearer(automation.key),
      data: { scopes: ["keys:write", "inference", "audit:read"] },
    });
    expect(scopes.status()).toBe(403);
    expect((await scopes.json()).error.code).toBe("step_up_unavailable");

    // Revoke the automation key itself: from now on it is refused.
    await request.post(`${keysUrl(DEMO_USER.tenantSlug)}/${automation.id}/revoke`, { headers: bearer(automation.key) });
    const after = await request.get(keysUrl(DEMO_USER.tenantSlug), { headers: bearer(automation.key) });
    expect(after.status()).toBe(401);
    expect((await after.json()).error.code).toBe("invalid_api_key");
    await request.dispose();
  });

  test("a key works only on its own tenant and within its scopes", async ({ request }) => {
    await signIn(request);
    const other = await request.post("/api/v1/tenants", { data: { name: "E2E other", slug: uniqueSlug("e2e-other") } });
    expect(other.status()).toBe(201);
    const otherSlug = (await other.json()).data.slug;

    const reader = (await (await request.post(keysUrl(DEMO_USER.tenantSlug), { data: { name: "e2e reader", scopes: ["keys:read"] } })).json()).data;
    const foreign = await request.get(keysUrl(otherSlug), { headers: bearer(reader.key) });
    expect(foreign.status()).toBe(404);
    expect((await foreign.json()).error.code).toBe("not_found");

    const write = await request.post(keysUrl(DEMO_USER.tenantSlug), { headers: bearer(reader.key), data: { name: "x", scopes: ["keys:read"] } });
    expect(write.status()).toBe(403);
    expect((await write.json()).error.code).toBe("forbidden");

    const members = await request.get(`/api/v1/tenants/${DEMO_USER.tenantSlug}/members`, { headers: bearer(reader.key) });
    expect(members.status()).toBe(403);
  });

  test("bad input is a 400 with field messages", async ({ request }) => {
    await signIn(request);
    const res = await request.post(keysUrl(DEMO_USER.tenantSlug), {
      data: { name: "", scopes: ["root"], ips: ["not-an-ip"] },
    });
    expect(res.status()).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("validation_failed");
    expect(error.fields).toMatchObject({ name: "Name is required", ips: '"not-an-ip" is not an IPv4 or IPv6 address or CIDR' });
    expect(Object.keys(error.fields)).toContain("scopes.0");
  });

  test("serves the OpenAPI 3.1 document without authentication", async ({ request }) => {
    const res = await request.get("/api/v1/openapi.json");
    expect(res.status()).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/tenants/{slug}/keys", "/api/v1/tenants/{slug}/keys/{id}/rotate"]));
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
  });
});

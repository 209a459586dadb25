import { expect, test } from "@playwright/test";

test.describe("management API", () => {
  test("health answers ok with a database check", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", checks: { database: "ok" } });
  });

  test("a request without a session is 401 with a request id", async ({ request }) => {
    const res = await request.get("/api/v1/tenants", { headers: { "x-request-id": "e2e-req-0001" } });
    expect(res.status()).toBe(401);
    expect(res.headers()["x-request-id"]).toBe("e2e-req-0001");
    expect(await res.json()).toEqual({
      error: { code: "unauthorized", message: "Sign in to continue", request_id: "e2e-req-0001" },
    });
  });

  test("pages carry the security headers", async ({ request }) => {
    const res = await request.get("/login");
    const headers = res.headers();
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-powered-by"]).toBeUndefined();
  });
});

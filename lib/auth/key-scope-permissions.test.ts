import { describe, expect, it } from "vitest";
import { KEY_SCOPES } from "../keys/key-schemas";
import { KEY_SCOPE_PERMISSIONS, PERMISSIONS, permissionsOfKeyScopes } from "./permissions";

describe("API key scopes → management permissions", () => {
  it("maps each management scope, a write scope implying its read", () => {
    expect([...permissionsOfKeyScopes(["keys:read"])]).toEqual(["keys.read"]);
    expect([...permissionsOfKeyScopes(["keys:write"])].sort()).toEqual(["keys.read", "keys.write"]);
    expect([...permissionsOfKeyScopes(["models:read"])]).toEqual(["models.read"]);
    expect([...permissionsOfKeyScopes(["models:write"])].sort()).toEqual(["models.read", "models.write"]);
    expect([...permissionsOfKeyScopes(["usage:read"])]).toEqual(["usage.read"]);
    expect([...permissionsOfKeyScopes(["audit:read"])]).toEqual(["audit.read"]);
    expect([...permissionsOfKeyScopes(["inference"])]).toEqual([]);
  });

  it("never grants members.* or tenant.*, whatever the scopes", () => {
    const all = permissionsOfKeyScopes([...KEY_SCOPES, "members:write", "tenant:delete", "__proto__", "constructor"]);
    expect([...all].filter((p) => p.startsWith("members.") || p.startsWith("tenant."))).toEqual([]);
    for (const p of all) expect(PERMISSIONS).toContain(p);
  });

  it("knows only scopes that exist", () => {
    for (const scope of Object.keys(KEY_SCOPE_PERMISSIONS)) expect(KEY_SCOPES).toContain(scope);
  });
});

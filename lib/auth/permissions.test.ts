import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, permissionsOf, ROLE_PERMISSIONS, type Permission } from "./permissions";

const ROLES = ["owner", "admin", "developer", "viewer"] as const;

describe("permissions", () => {
  it("gives the owner every permission", () => {
    expect(permissionsOf("owner")).toEqual([...PERMISSIONS]);
  });

  it.each<[Permission, (typeof ROLES)[number][]]>([
    ["tenant.read", ["owner", "admin", "developer", "viewer"]],
    ["members.read", ["owner", "admin", "developer", "viewer"]],
    ["keys.read", ["owner", "admin", "developer", "viewer"]],
    ["models.read", ["owner", "admin", "developer", "viewer"]],
    ["usage.read", ["owner", "admin", "developer", "viewer"]],
    ["keys.write", ["owner", "admin", "developer"]],
    ["members.write", ["owner", "admin"]],
    ["audit.read", ["owner", "admin"]],
    ["models.write", ["owner", "admin"]],
    ["tenant.settings.write", ["owner", "admin"]],
    ["tenant.delete", ["owner"]],
  ])("grants %s to exactly %j", (permission, roles) => {
    expect(ROLES.filter((r) => can(r, permission))).toEqual(roles);
  });

  it("covers every permission in the table above", () => {
    // A new permission must be granted deliberately (and tested) before it ships.
    const granted = new Set(ROLES.flatMap((r) => [...ROLE_PERMISSIONS[r]]));
    expect([...granted].sort()).toEqual([...PERMISSIONS].sort());
  });

  it("nests roles: each role can do everything the role below it can", () => {
    for (const [higher, lower] of [["owner", "admin"], ["admin", "developer"], ["developer", "viewer"]] as const) {
      for (const p of permissionsOf(lower)) expect(can(higher, p), `${higher} lacks ${p}`).toBe(true);
    }
  });

  it("refuses unknown roles and permissions", () => {
    expect(can("guest" as never, "tenant.read")).toBe(false);
    expect(can("owner", "tenant.destroy_everything" as never)).toBe(false);
  });
});

describe("platform operator permissions", () => {
  it("are held by operators only, and are not tenant permissions", async () => {
    const { canOnPlatform, PLATFORM_PERMISSIONS } = await import("./permissions");
    for (const p of PLATFORM_PERMISSIONS) {
      expect(canOnPlatform({ isOperator: true }, p)).toBe(true);
      expect(canOnPlatform({ isOperator: false }, p)).toBe(false);
      for (const role of ROLES) expect(can(role, p as never)).toBe(false);
    }
    expect(canOnPlatform({ isOperator: true }, "platform.everything" as never)).toBe(false);
  });

  it("only owners manage owners; owners and admins are asked to enrol MFA", async () => {
    const { canManageOwners, MFA_REQUIRED_ROLES } = await import("./permissions");
    expect(ROLES.filter(canManageOwners)).toEqual(["owner"]);
    expect(ROLES.filter((r) => MFA_REQUIRED_ROLES.has(r))).toEqual(["owner", "admin"]);
  });
});

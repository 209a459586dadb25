import type { Role } from "../db/generated/enums";

/**
 * Every permission a route or page may ask for. Adding a feature means adding
 * its permission here and granting it in ROLE_PERMISSIONS, nowhere else.
 */
export const PERMISSIONS = [
  "tenant.read",
  "tenant.settings.write",
  "tenant.delete",
  "members.read",
  "members.write",
  "audit.read",
  "keys.read",
  "keys.write",
  "models.read",
  "models.write",
  "usage.read",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: readonly Permission[] = [
  "tenant.read",
  "members.read",
  "keys.read",
  "models.read",
  "usage.read",
];

const DEVELOPER: readonly Permission[] = [...VIEWER, "keys.write"];

const ADMIN: readonly Permission[] = [
  ...DEVELOPER,
  "members.write",
  "audit.read",
  "models.write",
  "tenant.settings.write",
];

const OWNER: readonly Permission[] = [...ADMIN, "tenant.delete"];

/**
 * Roles as data: what each membership role may do in its tenant. The server
 * checks these on every request; the console only hides what is refused here.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set(OWNER),
  admin: new Set(ADMIN),
  developer: new Set(DEVELOPER),
  viewer: new Set(VIEWER),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.has(permission) ?? false;
}

export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => can(role, p));
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  viewer: "Viewer",
};

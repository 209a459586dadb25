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

/**
 * What a platform operator (users.is_operator) may do across tenants. Not a
 * membership role: operators act through the audited operator path
 * (withOperatorRead) and hold no tenant permission by being operators.
 */
export const PLATFORM_PERMISSIONS = [
  "platform.tenants.read",
  "platform.tenants.suspend",
  "platform.quotas.write",
  "platform.audit.read",
  "platform.models.grant",
  "platform.workers.read",
  "platform.workers.manage",
] as const;

export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];

export const OPERATOR_PERMISSIONS: ReadonlySet<PlatformPermission> = new Set(PLATFORM_PERMISSIONS);

/** Whether a user (operator or not) holds a platform permission. */
export function canOnPlatform(user: { isOperator: boolean }, permission: PlatformPermission): boolean {
  return user.isOperator === true && OPERATOR_PERMISSIONS.has(permission);
}

/** Roles that may grant or take away the owner role (and invite owners). */
export function canManageOwners(role: Role): boolean {
  return role === "owner";
}

/**
 * Roles that must have MFA enrolled before any sensitive action. Every step-up
 * action needs an enrolled second factor anyway; for these roles the console
 * also asks them to enrol from the start.
 */
export const MFA_REQUIRED_ROLES: ReadonlySet<Role> = new Set(["owner", "admin"]);

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  viewer: "Viewer",
};

/**
 * What an API key's scopes allow on the management API. A write scope implies
 * its read (as roles do). Scopes not listed (`inference`) grant nothing here,
 * and no scope ever grants `members.*` or `tenant.*`: people and the tenant
 * itself are managed by signed-in members only.
 */
export const KEY_SCOPE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  "keys:read": ["keys.read"],
  "keys:write": ["keys.read", "keys.write"],
  "models:read": ["models.read"],
  "models:write": ["models.read", "models.write"],
  "usage:read": ["usage.read"],
  "audit:read": ["audit.read"],
};

export function permissionsOfKeyScopes(scopes: readonly string[]): Set<Permission> {
  return new Set(scopes.flatMap((s) => (Object.hasOwn(KEY_SCOPE_PERMISSIONS, s) ? KEY_SCOPE_PERMISSIONS[s]! : [])));
}

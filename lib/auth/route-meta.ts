import type { Permission, PlatformPermission } from "./permissions";

/**
 * What a wrapped route handler declares about its access, attached to the
 * handler itself so tests can enumerate every route file and check each
 * role against it (test: route-access-matrix).
 */
export type RouteMeta =
  | { auth: "user"; stepUp: boolean }
  | { auth: "tenant"; permission: Permission; stepUp: boolean; apiKeys: boolean }
  | { auth: "operator"; permission: PlatformPermission; stepUp: boolean };

const META = Symbol.for("modelgate.route-meta");

export function withRouteMeta<H extends object>(handler: H, meta: RouteMeta): H {
  Object.defineProperty(handler, META, { value: meta, enumerable: false });
  return handler;
}

export function routeMetaOf(handler: unknown): RouteMeta | undefined {
  return handler && typeof handler === "function" ? (handler as unknown as Record<symbol, RouteMeta>)[META] : undefined;
}

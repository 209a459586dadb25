import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { KEY_INVALIDATION_CHANNEL, parseKeyInvalidation } from "../lib/keys/key-invalidation";
import { MODEL_INVALIDATION_CHANNEL, parseModelInvalidation } from "../lib/models/model-invalidation";
import type { KeyCache } from "./key-cache";
import type { ModelCache } from "./model-cache";

export type InvalidationSubscription = {
  /** Resolves once subscribed (it may wait for Redis; the gateway serves meanwhile). */
  ready: Promise<void>;
  close(): Promise<void>;
};

/**
 * Keeps the caches honest: every key or model change published on Redis
 * drops the matching entries within a round trip. `subscriber` must be a
 * connection of its own (a subscribed connection runs no other command).
 * Messages published while it was disconnected are lost, so on every
 * reconnect both caches are cleared; the TTL bounds staleness during an outage.
 * Give it a connection that never gives up on a command (`forBullmq: true`),
 * so the subscription waits for Redis instead of failing at start-up.
 */
export function subscribeInvalidations(
  subscriber: Redis,
  caches: { keys: KeyCache; models: ModelCache },
  logger: Logger,
): InvalidationSubscription {
  let connectedBefore = false;
  const onReady = () => {
    if (connectedBefore) {
      caches.keys.clear();
      caches.models.clear();
      logger.warn("invalidation channel reconnected: key and model caches cleared");
    }
    connectedBefore = true;
  };
  const onMessage = (channel: string, message: string) => {
    if (channel === KEY_INVALIDATION_CHANNEL) {
      const msg = parseKeyInvalidation(message);
      if (msg) caches.keys.invalidate(msg.tenantId, msg.keyId);
      else logger.warn({ channel }, "ignored a malformed invalidation message");
    } else if (channel === MODEL_INVALIDATION_CHANNEL) {
      const msg = parseModelInvalidation(message);
      if (msg) caches.models.invalidate(msg.tenantId);
      else logger.warn({ channel }, "ignored a malformed invalidation message");
    }
  };
  subscriber.on("ready", onReady);
  subscriber.on("message", onMessage);
  const ready = subscriber.subscribe(KEY_INVALIDATION_CHANNEL, MODEL_INVALIDATION_CHANNEL).then(
    () => {
      connectedBefore = true;
    },
    (err: Error) => {
      logger.error({ err: { message: err.message } }, "could not subscribe to cache invalidations; caches rely on their TTL");
    },
  );
  return {
    ready,
    async close() {
      subscriber.off("ready", onReady);
      subscriber.off("message", onMessage);
      // Not connected: nothing to undo (and the command would wait for Redis forever).
      if (subscriber.status !== "ready") return;
      const unsubscribed = subscriber.unsubscribe(KEY_INVALIDATION_CHANNEL, MODEL_INVALIDATION_CHANNEL).catch(() => {});
      await Promise.race([unsubscribed, new Promise((r) => setTimeout(r, 1_000).unref())]);
    },
  };
}

import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { AppError } from "../../lib/errors/app-error";
import type { Stage } from "./types";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function payloadTooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `Request body is larger than ${limit} bytes`);
}

/**
 * The declared size, checked before anything else is spent on the request. A
 * body over the limit is never read: the connection closes after the 413.
 */
export function declaredSizeStage(maxBytes: number = DEFAULT_MAX_BODY_BYTES): Stage {
  return {
    name: "declared-size",
    appliesTo: (route) => route.method === "POST",
    run(ctx) {
      const declared = ctx.req.headers["content-length"];
      if (declared !== undefined && Number(declared) > maxBytes) {
        ctx.closeConnection = true;
        throw payloadTooLarge(maxBytes);
      }
    },
  };
}

/** The client went away mid-body: there is nobody to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super("client closed the request before its body ended");
    this.name = "ClientGoneError";
  }
}

/**
 * The whole body, when it has already arrived and nothing has read it yet
 * (the usual case for small bodies: they come with the headers): taken from
 * the stream's buffer at once, with no listener and no promise. The body is
 * whole once the message is complete, or once the bytes buffered reach its
 * Content-Length (node's parser buffers the body before it marks the message
 * complete). Undefined when it has not all arrived (then `readBodyLimited`).
 */
export function bufferedBody(stream: IncomingMessage, limit: number): Buffer | undefined {
  if (stream.readableFlowing !== null || stream.readableEncoding !== null || stream.destroyed) return undefined;
  const buffered = stream.readableLength;
  if (!stream.complete) {
    const declared = stream.headers["content-length"];
    if (declared === undefined || buffered === 0 || buffered !== Number(declared)) return undefined;
  }
  if (buffered > limit) return undefined; // readBodyLimited answers 413 as it always does
  if (buffered === 0) return Buffer.alloc(0);
  return stream.read(buffered) as Buffer; // paused mode: exactly what is buffered
}

/**
 * Reads a body of at most `limit` bytes. Rejects with 413 as soon as the
 * stream goes past the limit (the chunk that crosses it is dropped and the
 * stream paused: nothing past the limit is buffered), and with ClientGoneError
 * if the stream errors or closes first.
 */
export function readBodyLimited(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onGone);
      stream.off("close", onGone);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > limit) {
        cleanup();
        stream.pause();
        reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onGone = () => {
      cleanup();
      reject(new ClientGoneError());
    };
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", onGone);
    stream.once("close", onGone);
  });
}

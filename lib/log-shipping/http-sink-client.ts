import { Agent, request } from "undici";
import { SINK_TIMEOUT_MS, SinkError } from "./sink";

/** One keep-alive undici agent per HTTP sink, trusting the sink's extra CA when it has one. */
export function createSinkAgent(ca: string | undefined): Agent {
  return new Agent({
    connect: { ca, timeout: SINK_TIMEOUT_MS },
    headersTimeout: SINK_TIMEOUT_MS,
    bodyTimeout: SINK_TIMEOUT_MS,
    connections: 4,
  });
}

export type SinkResponse = { status: number; json: unknown };

/**
 * POSTs and reads the answer. Transport failures and non-2xx answers throw a
 * SinkError naming the status and the server's own short reason, never a
 * header or the body that was sent.
 */
export async function postToSink(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
  reasonOf: (json: unknown) => string | undefined,
): Promise<SinkResponse> {
  let res;
  try {
    res = await request(url, { method: "POST", headers, body, dispatcher: agent, signal: AbortSignal.timeout(SINK_TIMEOUT_MS * 2) });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new SinkError(`POST ${new URL(url).pathname} failed: ${e.code ?? e.message ?? "error"}`);
  }
  const text = await res.body.text().catch(() => "");
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.statusCode < 200 || res.statusCode > 299) {
    const reason = (json !== undefined && reasonOf(json)) || "";
    throw new SinkError(`POST ${new URL(url).pathname} answered ${res.statusCode}${reason ? `: ${reason.slice(0, 200)}` : ""}`);
  }
  return { status: res.statusCode, json };
}

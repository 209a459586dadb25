import type { TokenUsage } from "./pipeline/types";

const EDGE_BYTES = 16 * 1024;
const USAGE_KEY = Buffer.from('"usage"', "latin1");
/** How far past `"usage"` the token counts are looked for. */
const USAGE_WINDOW = 1024;
const PROMPT_TOKENS = /"prompt_tokens"\s*:\s*(\d{1,15})/;
const COMPLETION_TOKENS = /"completion_tokens"\s*:\s*(\d{1,15})/;
const TOTAL_TOKENS = /"total_tokens"\s*:\s*(\d{1,15})/;

const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** JSON whitespace, plus the other characters `\s` would have let through. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x0c;
}

function intField(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Where `"usage" : {` starts at `at`, the index of its `{`; -1 otherwise. */
function usageObjectAt(buf: Buffer, at: number): number {
  if (at > 0 && buf[at - 1] === BACKSLASH) return -1; // inside an escaped string
  let i = at + USAGE_KEY.length;
  while (i < buf.length && isSpace(buf[i]!)) i++;
  if (buf[i] !== COLON) return -1;
  i++;
  while (i < buf.length && isSpace(buf[i]!)) i++;
  return buf[i] === OPEN_BRACE ? i : -1;
}

/** The token counts of the last `"usage": {...}` object in `body`, if any. */
export function findUsage(body: Buffer | string): TokenUsage | undefined {
  const buf = typeof body === "string" ? Buffer.from(body) : body;
  let at = buf.lastIndexOf(USAGE_KEY);
  while (at >= 0 && usageObjectAt(buf, at) < 0) at = at > 0 ? buf.lastIndexOf(USAGE_KEY, at - 1) : -1;
  if (at < 0) return undefined;
  // Up to the first "}" (nested details come after the counts), within the window; ASCII is all that is matched.
  const limit = Math.min(buf.length, at + USAGE_WINDOW);
  const close = buf.indexOf(CLOSE_BRACE, at);
  const head = buf.toString("latin1", at, close >= 0 && close < limit ? close : limit);
  const usage = {
    promptTokens: intField(head, PROMPT_TOKENS),
    completionTokens: intField(head, COMPLETION_TOKENS),
    totalTokens: intField(head, TOTAL_TOKENS),
  };
  if (usage.promptTokens === undefined && usage.completionTokens === undefined && usage.totalTokens === undefined) return undefined;
  return usage;
}

function joined(chunks: Buffer[], bytes: number): Buffer {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
}

/**
 * Keeps the first and last 16 KiB of an upstream body as it is forwarded
 * (references to the chunks, no copies). OpenAI responses report `usage` at
 * the top level, near either end of the JSON (or in the last event of a
 * stream); `usage()` finds it once the response is over, so the client never
 * waits for the parse.
 */
export class UsageTap {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;

  push(chunk: Buffer): void {
    if (this.headBytes < EDGE_BYTES) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= EDGE_BYTES) {
      this.tailBytes -= this.tail.shift()!.length;
    }
  }

  usage(): TokenUsage | undefined {
    const fromTail = this.tail.length ? findUsage(joined(this.tail, this.tailBytes)) : undefined;
    if (fromTail) return fromTail;
    return this.head.length ? findUsage(joined(this.head, this.headBytes)) : undefined;
  }
}

import { Transform, type TransformCallback } from "node:stream";
import type { TokenUsage } from "./pipeline/types";

const EDGE_BYTES = 16 * 1024;
const USAGE_KEY = /"usage"\s*:\s*\{/g;

function intField(text: string, name: string): number | undefined {
  const m = new RegExp(`"${name}"\\s*:\\s*(\\d{1,15})`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The token counts of the last `"usage": {...}` object in `text`, if any. */
export function findUsage(text: string): TokenUsage | undefined {
  let last = -1;
  for (const m of text.matchAll(USAGE_KEY)) {
    if (m.index > 0 && text[m.index - 1] === "\\") continue; // inside an escaped string
    last = m.index;
  }
  if (last < 0) return undefined;
  const usageText = text.slice(last, last + 1024);
  const end = usageText.indexOf("}");
  const head = end < 0 ? usageText : usageText.slice(0, end);
  const usage = {
    promptTokens: intField(head, "prompt_tokens"),
    completionTokens: intField(head, "completion_tokens"),
    totalTokens: intField(head, "total_tokens"),
  };
  if (usage.promptTokens === undefined && usage.completionTokens === undefined && usage.totalTokens === undefined) return undefined;
  return usage;
}

/**
 * Passes an upstream body through untouched while keeping its first and last
 * 16 KiB. OpenAI responses report `usage` at the top level, near either end
 * of the JSON (or in the last event of a stream); `usage()` finds it once the
 * response is over, so the client never waits for the parse.
 */
export class UsageTap extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.headBytes < EDGE_BYTES) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
    } else {
      this.tail.push(chunk);
      this.tailBytes += chunk.length;
      while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= EDGE_BYTES) {
        this.tailBytes -= this.tail.shift()!.length;
      }
    }
    done(null, chunk);
  }

  usage(): TokenUsage | undefined {
    const tail = Buffer.concat(this.tail).toString("utf8");
    return findUsage(tail) ?? findUsage(Buffer.concat(this.head).toString("utf8"));
  }
}

import type { ModelProtocol } from "@/lib/models/model-schemas";

export const PROTOCOL_OPTIONS: ReadonlyArray<{ value: ModelProtocol; label: string; hint: string }> = [
  { value: "openai", label: "OpenAI-compatible", hint: "Base URL that /chat/completions, /completions and /embeddings are appended to, e.g. http://llm:8000/v1" },
  { value: "kserve-v2", label: "KServe v2 / Open Inference", hint: "Server root that /v2/models/{name}/infer is appended to" },
  { value: "torchserve", label: "TorchServe", hint: "Server root; clients call the KServe v2 route, the gateway calls /predictions/{name}" },
  { value: "tfserving", label: "TF Serving REST", hint: "Server root; clients call the KServe v2 route, the gateway calls /v1/models/{name}:predict" },
];

export const protocolLabel = (p: string) => PROTOCOL_OPTIONS.find((o) => o.value === p)?.label ?? p;

export { statusOf } from "@/components/console/model-status";

export const numberOrUndefined = (text: string) => (text.trim() === "" ? undefined : Number(text));

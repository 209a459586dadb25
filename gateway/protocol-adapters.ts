import { z } from "zod";

/**
 * TorchServe and TF Serving REST speak their own request shapes. Clients call
 * such models through the KServe v2 route (`POST /v2/models/{name}/infer`);
 * these pure functions turn the v2 request into the backend's and its answer
 * back into a v2 response. Tensors travel as nested JSON arrays there and as
 * flat `data` + `shape` in v2.
 */

const v2Input = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  datatype: z.string(),
  data: z.array(z.unknown()),
});
export const v2InferRequest = z.object({ id: z.string().optional(), inputs: z.array(v2Input).min(1) });
export type V2InferRequest = z.infer<typeof v2InferRequest>;

export type V2Output = { name: string; shape: number[]; datatype: string; data: unknown[] };
export type V2InferResponse = { model_name: string; id?: string; outputs: V2Output[] };

/** Flat `data` in row-major order → nested arrays of `shape` (nested input is taken as it is). */
export function nest(data: readonly unknown[], shape: readonly number[]): unknown {
  if (data.some(Array.isArray) || shape.length <= 1) return shape.length === 0 && data.length === 1 && !Array.isArray(data[0]) ? data[0] : data;
  const [outer, ...inner] = shape;
  const size = inner.reduce((a, b) => a * b, 1);
  if (outer! * size !== data.length) throw new AdapterError(`data has ${data.length} elements, shape [${shape.join(", ")}] needs ${outer! * size}`);
  return Array.from({ length: outer! }, (_, i) => nest(data.slice(i * size, (i + 1) * size), inner));
}

/** Nested arrays → shape and flat data (the shape of the first element at each depth). */
export function flatten(value: unknown): { shape: number[]; data: unknown[] } {
  if (!Array.isArray(value)) return { shape: [], data: [value] };
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  return { shape, data: (value as unknown[]).flat(Infinity) };
}

/**
 * The v2 datatype of flat tensor data (JSON does not say). Numbers follow the
 * request's floating-point type when it sent one (2.0 arrives as 2), else
 * whole numbers are INT64 and the rest FP32.
 */
export function datatypeOf(data: readonly unknown[], requestType?: string): string {
  if (data.length && data.every((d) => typeof d === "boolean")) return "BOOL";
  if (data.some((d) => typeof d === "string")) return "BYTES";
  if (requestType && /^FP(16|32|64)$/.test(requestType)) return requestType;
  if (data.every((d) => typeof d === "number" && Number.isInteger(d))) return "INT64";
  return "FP32";
}

export class AdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdapterError";
  }
}

function outputsOf(value: unknown, req: V2InferRequest): V2Output[] {
  const requestType = req.inputs[0]?.datatype;
  const named =
    value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value as Record<string, unknown>) : [["output_0", value] as const];
  return named.map(([name, tensor]) => {
    const { shape, data } = flatten(tensor);
    return { name, shape, datatype: datatypeOf(data, requestType), data };
  });
}

function inputsByName(req: V2InferRequest): Record<string, unknown> {
  return Object.fromEntries(req.inputs.map((i) => [i.name, nest(i.data, i.shape)]));
}

/** TF Serving REST predict, columnar form: `POST /v1/models/{name}:predict` `{"inputs": ...}`. */
export const tfServing = {
  path: (model: string) => `/v1/models/${encodeURIComponent(model)}:predict`,
  request(req: V2InferRequest): unknown {
    return { inputs: req.inputs.length === 1 ? nest(req.inputs[0]!.data, req.inputs[0]!.shape) : inputsByName(req) };
  },
  response(model: string, req: V2InferRequest, body: unknown): V2InferResponse {
    const b = body as { outputs?: unknown; predictions?: unknown } | null;
    const result = b?.outputs ?? b?.predictions;
    if (result === undefined) throw new AdapterError("the TF Serving answer has neither outputs nor predictions");
    return { model_name: model, ...(req.id && { id: req.id }), outputs: outputsOf(result, req) };
  },
};

/**
 * TorchServe inference API: `POST /predictions/{name}` with the tensor as the
 * JSON body (one input) or an object of named tensors (several); the
 * handler's JSON answer becomes `output_0`, or one output per key of an object.
 */
export const torchServe = {
  path: (model: string) => `/predictions/${encodeURIComponent(model)}`,
  request(req: V2InferRequest): unknown {
    return req.inputs.length === 1 ? nest(req.inputs[0]!.data, req.inputs[0]!.shape) : inputsByName(req);
  },
  response(model: string, req: V2InferRequest, body: unknown): V2InferResponse {
    return { model_name: model, ...(req.id && { id: req.id }), outputs: outputsOf(body, req) };
  },
};

export const ADAPTERS = { tfserving: tfServing, torchserve: torchServe } as const;
export type AdaptedProtocol = keyof typeof ADAPTERS;

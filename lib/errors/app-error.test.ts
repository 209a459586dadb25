import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, ERROR_STATUS, toErrorResponse } from "./app-error";
import { parseInput } from "./validation";

describe("errors", () => {
  it("maps every code to one HTTP status", () => {
    expect(new AppError("not_found", "x").status).toBe(404);
    expect(new AppError("step_up_required", "x").status).toBe(401);
    expect(new AppError("quota_exceeded", "x").status).toBe(429);
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });

  it("turns an unknown error into a 500 that reveals nothing", () => {
    const res = toErrorResponse(new Error('relation "users" does not exist at 10.0.0.5'), "req-9");
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: "internal_error", message: "Internal error", request_id: "req-9" } });
  });

  it("carries field messages and headers of an AppError", () => {
    const res = toErrorResponse(
      new AppError("rate_limited", "Slow down", { headers: { "Retry-After": "3" } }),
      "req-1",
    );
    expect(res).toEqual({ status: 429, headers: { "Retry-After": "3" }, body: { error: { code: "rate_limited", message: "Slow down", request_id: "req-1" } } });
  });

  it("parseInput reports the first problem of each field", () => {
    const schema = z.object({ name: z.string().min(1, "Name is required"), age: z.number().int() });
    try {
      parseInput(schema, { name: "", age: 1.5 });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: "validation_failed", status: 400, fields: { name: "Name is required" } });
      expect(Object.keys((err as AppError).fields!)).toEqual(["name", "age"]);
    }
  });
});

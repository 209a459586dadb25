import { z } from "zod";
import { AppError } from "../errors/app-error";
import { webhookEndpointOutput } from "./webhook-schemas";

/** An endpoint as created: its view plus the signing secret, which no later response repeats. */
export const createdWebhookOutput = webhookEndpointOutput.extend({
  secret: z.string().describe("The signing secret (whsec_...). Shown once: store it now, it cannot be read again."),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An endpoint id from the URL: anything but a UUID is an endpoint that does not exist (404). */
export function parseEndpointId(id: string | undefined): string {
  if (!id || !UUID.test(id)) throw new AppError("not_found", "Webhook endpoint not found");
  return id;
}

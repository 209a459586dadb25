"use client";

import { useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/webhook-schemas";
import { useCreateWebhook, type CreatedWebhook } from "./webhooks-api";

const EVENT_LABELS: Record<(typeof WEBHOOK_EVENT_TYPES)[number], string> = {
  "quota.reached": "Quota reached (once per period and limit)",
  "quota.period_closed": "Quota period closed (final use of the period)",
  "webhook.test": "Test events",
};

/** Adds an endpoint (step-up), then shows its signing secret once. */
export function AddWebhookDialog({ slug, open, onClose }: { slug: string; open: boolean; onClose: () => void }) {
  const create = useCreateWebhook(slug);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);

  function close() {
    create.reset();
    setUrl("");
    setDescription("");
    setEvents([]);
    setCreated(null);
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { url, description, eventTypes: events },
      { onSuccess: (endpoint) => setCreated(endpoint) },
    );
  }

  const fields = (create.error as { fields?: Record<string, string> } | null)?.fields ?? {};
  return (
    <Dialog
      open={open}
      onClose={close}
      busy={create.isPending}
      size="md"
      title={created ? "Endpoint added" : "Add a webhook endpoint"}
      description={created ? undefined : "ModelGate POSTs JSON events to this URL, signed per the Standard Webhooks spec, and retries failures with exponential backoff."}
    >
      {created ? (
        <div className="space-y-4">
          <SigningSecret secret={created.secret} />
          <div className="flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="space-y-4" data-testid="webhook-form">
          {create.error && !fields.url && <Alert>{create.error.message}</Alert>}
          <Input label="Endpoint URL" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} error={fields.url} placeholder="https://example.com/modelgate/webhooks" name="url" />
          <Input label="Description (optional)" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} error={fields.description} name="description" />
          <fieldset>
            <legend className="text-sm font-medium text-zinc-900">Events</legend>
            <p className="mt-0.5 text-xs text-zinc-500">None selected: every event.</p>
            <div className="mt-2 space-y-1.5">
              {WEBHOOK_EVENT_TYPES.map((type) => (
                <label key={type} className="flex items-center gap-2 text-sm text-zinc-700">
                  <input
                    type="checkbox"
                    className="accent-brand-600"
                    checked={events.includes(type)}
                    onChange={(e) => setEvents((list) => (e.target.checked ? [...list, type] : list.filter((t) => t !== type)))}
                  />
                  <code className="font-mono text-xs text-zinc-800">{type}</code>
                  <span className="text-zinc-500">— {EVENT_LABELS[type]}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="mt-6 flex justify-end gap-3">
            <Button type="button" variant="secondary" onClick={close} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              {create.isPending ? "Adding…" : "Add endpoint"}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function SigningSecret({ secret }: { secret: string }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-3" data-testid="webhook-secret-panel">
      <Alert tone="warning">
        <span className="font-semibold">Copy the signing secret now.</span> It won&apos;t be shown again. Use it to verify the{" "}
        <code className="font-mono">webhook-signature</code> header of every delivery.
      </Alert>
      <div className="flex gap-2">
        <input
          ref={field}
          readOnly
          value={secret}
          aria-label="Signing secret"
          onFocus={(e) => e.currentTarget.select()}
          className="block h-9 min-w-0 flex-1 rounded-md bg-zinc-50 px-3 font-mono text-[13px] text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300"
        />
        <Button
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied(true);
            } catch {
              field.current?.select();
            }
          }}
        >
          {copied ? <CheckIcon className="size-4 text-emerald-600" /> : <CopyIcon className="size-4" />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}

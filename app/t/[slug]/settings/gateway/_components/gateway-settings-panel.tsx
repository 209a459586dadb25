"use client";

import { useCallback, useState, type FormEvent } from "react";
import { ApiError, fieldError } from "@/components/console/api-fetch";
import { Notice, notice, type NoticeMessage } from "@/components/console/notice";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { GatewaySettings } from "@/lib/tenants/gateway-settings-schemas";
import { AllowlistField, BodySizeField, LIMITS_DESCRIPTION, RedisModeField, Section } from "./gateway-fields";
import { RATE_WINDOWS, windowLabel } from "@/components/console/rate-limit";
import { formOf, isDirty, patchOf, type FieldName, type GatewayForm } from "./gateway-form";
import { useGatewaySettings, useUpdateGatewaySettings } from "./gateway-settings-api";
import { GatewaySettingsSummary } from "./gateway-settings-summary";

type Props = { slug: string; initial: GatewaySettings; canEdit: boolean };

const CARD_DESCRIPTION =
  "How the gateway treats every request made with this tenant's API keys. Changes reach every gateway within about a second.";

/** The Gateway tab: an edit form for owners and admins (one Save, step-up), the values read-only for everyone else. */
export function GatewaySettingsPanel({ slug, initial, canEdit }: Props) {
  const settings = useGatewaySettings(slug, initial).data;
  if (!canEdit) return <GatewaySettingsSummary settings={settings} />;
  return <GatewaySettingsForm slug={slug} settings={settings} />;
}

function GatewaySettingsForm({ slug, settings }: { slug: string; settings: GatewaySettings }) {
  const update = useUpdateGatewaySettings(slug);
  const [draft, setDraft] = useState<GatewayForm | null>(null);
  const [localErrors, setLocalErrors] = useState<Partial<Record<FieldName, string>>>({});
  // Fields edited since the last Save: their old error no longer describes what is typed.
  const [edited, setEdited] = useState<ReadonlySet<FieldName>>(new Set());
  const [saved, setSaved] = useState<NoticeMessage | null>(null);
  const dismiss = useCallback(() => setSaved(null), []);

  const form = draft ?? formOf(settings);
  const dirty = draft !== null && isDirty(draft, settings);
  const apiFields = update.error instanceof ApiError ? update.error.fields : {};
  const error = (name: FieldName) => (edited.has(name) ? undefined : (localErrors[name] ?? fieldError(apiFields, name)));
  const fieldMessages = Object.entries(apiFields).filter(([k]) => k !== "_");
  const formError = update.error && !fieldMessages.length ? (apiFields._ ?? update.error.message) : null;

  const set = (name: FieldName, change: Partial<GatewayForm>) => {
    setDraft({ ...form, ...change });
    setEdited((e) => new Set(e).add(name));
  };

  function discard() {
    setDraft(null);
    setLocalErrors({});
    setEdited(new Set());
    update.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const { patch, errors } = patchOf(form, settings);
    setEdited(new Set());
    setLocalErrors(errors);
    setSaved(null);
    update.reset();
    if (Object.keys(errors).length || !Object.keys(patch).length) return;
    update.mutate(patch, {
      onSuccess: () => {
        setDraft(null);
        setSaved(notice("success", "Gateway settings saved. Every gateway applies them within about a second."));
      },
    });
  }

  return (
    <div className="space-y-6">
      {saved && <Notice key={saved.id} notice={saved} onDismiss={dismiss} testId="gateway-notice" />}
      <form onSubmit={submit} noValidate aria-label="Gateway settings">
        <Card data-testid="gateway-settings">
          <CardHeader title="Gateway access" description={CARD_DESCRIPTION} />
          {formError && <Alert className="mx-5 mt-5">{formError}</Alert>}
          <div className="divide-y divide-zinc-100">
            <AllowlistField value={form.ips} onChange={(ips) => set("ipAllowlist", { ips })} error={error("ipAllowlist")} />

            <Section title="Limits" description={LIMITS_DESCRIPTION}>
              <div className="space-y-6">
                <BodySizeField
                  size={form.bodySize}
                  unit={form.bodyUnit}
                  ceiling={settings.maxBodyBytesLimit}
                  onChange={(change) => set("maxBodyBytes", change)}
                  error={error("maxBodyBytes")}
                />
                <RateLimitFields form={form} set={set} error={error} />
              </div>
            </Section>

            <RedisModeField value={form.redisFailureMode} onChange={(redisFailureMode) => set("redisFailureMode", { redisFailureMode })} />
          </div>
          <div className="flex flex-wrap items-center justify-end gap-3 border-t border-zinc-200 bg-zinc-50/80 px-5 py-3">
            <p className="mr-auto text-sm text-zinc-500" aria-live="polite">
              {dirty ? <span className="font-medium text-amber-700">You have unsaved changes.</span> : "Saving needs a fresh two-factor verification."}
            </p>
            <Button variant="secondary" onClick={discard} disabled={!dirty || update.isPending}>
              Discard changes
            </Button>
            <Button type="submit" disabled={!dirty} loading={update.isPending}>
              {update.isPending ? "Saving…" : "Save changes"}
            </Button>
          </div>
        </Card>
      </form>
    </div>
  );
}

type RateProps = {
  form: GatewayForm;
  set: (name: FieldName, change: Partial<GatewayForm>) => void;
  error: (name: FieldName) => string | undefined;
};

function RateLimitFields({ form, set, error }: RateProps) {
  const windows = RATE_WINDOWS.some((w) => String(w.seconds) === form.rateWindow)
    ? RATE_WINDOWS
    : [...RATE_WINDOWS, { seconds: Number(form.rateWindow), label: windowLabel(Number(form.rateWindow)) }];
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-900">Tenant rate limit</legend>
      <label className="mt-2 flex items-start gap-2.5 text-sm text-zinc-700">
        <input
          type="checkbox"
          checked={form.rateLimited}
          onChange={(e) => set("rateLimit.requests", { rateLimited: e.target.checked })}
          className="mt-0.5 size-4 rounded accent-brand-600"
        />
        <span>
          Limit requests across all keys
          <span className="block text-xs text-zinc-500">Over the limit the gateway answers 429 with Retry-After. Unchecked: only each key&apos;s own limit applies.</span>
        </span>
      </label>
      {form.rateLimited && (
        <div className="mt-3 grid max-w-lg gap-4 pl-6 sm:grid-cols-2">
          <Input
            label="Requests"
            name="rateRequests"
            inputMode="numeric"
            value={form.rateRequests}
            placeholder="1000"
            onChange={(e) => set("rateLimit.requests", { rateRequests: e.target.value })}
            error={error("rateLimit.requests")}
            hint="1 to 1,000,000."
          />
          <Select
            label="Window"
            name="rateWindow"
            value={form.rateWindow}
            onChange={(e) => set("rateLimit.windowSeconds", { rateWindow: e.target.value })}
            error={error("rateLimit.windowSeconds")}
          >
            {windows.map((w) => (
              <option key={w.seconds} value={w.seconds}>
                per {w.label}
              </option>
            ))}
          </Select>
        </div>
      )}
    </fieldset>
  );
}

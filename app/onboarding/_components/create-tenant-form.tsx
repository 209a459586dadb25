"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "@/components/console/api-fetch";
import { Button } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors/app-error";
import { slugify } from "@/lib/tenants/tenant-schemas";

type CreatedTenant = { slug: string };

/** After creating the tenant, a user without MFA is led to set it up, then to the console. */
export function CreateTenantForm({ mfaEnabled }: { mfaEnabled: boolean }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  // The slug follows the name until the user edits it.
  const [slugEdited, setSlugEdited] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const shownSlug = slugEdited ? slug : slugify(name);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setFields({});
    setFormError(null);
    try {
      const tenant = await apiFetch<CreatedTenant>("/api/v1/tenants", {
        method: "POST",
        body: { name, ...(slugEdited || shownSlug ? { slug: shownSlug } : {}) },
      });
      const consoleUrl = `/t/${tenant.slug}`;
      router.push(mfaEnabled ? consoleUrl : `/account/security?next=${encodeURIComponent(consoleUrl)}`);
      router.refresh();
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
        setFields(err.fields);
      } else {
        setFormError(err instanceof Error ? err.message : "Something went wrong. Try again.");
      }
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      {formError && (
        <div role="alert" className="flex gap-2.5 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-700 ring-1 ring-inset ring-red-200">
          <AlertIcon className="size-5 shrink-0" />
          <span>{formError}</span>
        </div>
      )}
      <Input
        label="Tenant name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fields.name}
        placeholder="Acme Inc."
        maxLength={100}
        autoComplete="organization"
        autoFocus
        required
      />
      <Input
        label="Slug"
        name="slug"
        value={shownSlug}
        onChange={(e) => {
          setSlugEdited(true);
          setSlug(e.target.value.toLowerCase());
        }}
        error={fields.slug}
        prefix="/t/"
        placeholder="acme"
        maxLength={48}
        autoComplete="off"
        spellCheck={false}
        hint="Lowercase letters, digits and hyphens. Used in console URLs."
        required
      />
      <Button type="submit" className="w-full" loading={pending}>
        {pending ? "Creating tenant…" : "Create tenant"}
      </Button>
    </form>
  );
}

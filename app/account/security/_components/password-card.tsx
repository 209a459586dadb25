"use client";

import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "@/components/console/api-fetch";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/errors/app-error";

export function PasswordCard({ hasPassword }: { hasPassword: boolean }) {
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setFields({});
    setError(null);
    setDone(false);
    try {
      await apiFetch("/api/v1/account/password", {
        method: "POST",
        body: hasPassword ? { currentPassword, newPassword } : { newPassword },
      });
      setDone(true);
      setCurrentPassword("");
      setNewPassword("");
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setFields(err.fields);
      else setError(err instanceof Error ? err.message : "Something went wrong. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Card aria-labelledby="password-title">
      <CardHeader
        title={<span id="password-title">Password</span>}
        description={hasPassword ? "Changing it signs out your other sessions." : "Your account signs in with single sign-on. You can add a password as well."}
      />
      <form onSubmit={onSubmit} className="space-y-4 px-5 py-5" noValidate>
        {done && <Alert tone="success">Password changed. Your other sessions were signed out.</Alert>}
        {error && <Alert>{error}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          {hasPassword && (
            <Input
              label="Current password"
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              value={currentPassword}
              onChange={(e) => setCurrentPassword(e.target.value)}
              error={fields.currentPassword}
            />
          )}
          <Input
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
            error={fields.newPassword}
            hint="At least 12 characters; common and breached passwords are refused."
          />
        </div>
        <Button type="submit" variant="secondary" loading={pending} disabled={!newPassword}>
          {hasPassword ? "Change password" : "Set password"}
        </Button>
      </form>
    </Card>
  );
}

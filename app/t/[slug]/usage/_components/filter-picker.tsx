"use client";

import { Select } from "@/components/ui/select";
import type { UsageFilterOptions } from "@/lib/usage/usage-filter-options";

type Props = {
  options: Pick<UsageFilterOptions, "keys" | "models">;
  keyId: string | null;
  model: string | null;
  onKey: (keyId: string | null) => void;
  onModel: (model: string | null) => void;
};

/** Limit the whole dashboard (totals, charts, table, export) to one API key and/or one model. */
export function FilterPicker({ options, keyId, model, onKey, onModel }: Props) {
  const knownKey = keyId === null || options.keys.some((k) => k.id === keyId);
  const knownModel = model === null || options.models.includes(model);
  return (
    <>
      <Select aria-label="API key" value={keyId ?? ""} onChange={(e) => onKey(e.target.value || null)} className="w-60">
        <option value="">All API keys</option>
        {options.keys.map((k) => (
          <option key={k.id} value={k.id}>
            {k.name}
            {k.revoked ? " (revoked)" : ""} · {k.id.slice(0, 8)}
          </option>
        ))}
        {!knownKey && <option value={keyId!}>Unknown key {keyId!.slice(0, 8)}</option>}
      </Select>
      <Select aria-label="Model" value={model ?? ""} onChange={(e) => onModel(e.target.value || null)} className="w-48">
        <option value="">All models</option>
        {options.models.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
        {!knownModel && <option value={model!}>{model}</option>}
      </Select>
    </>
  );
}

import type { Metadata } from "next";
import { requireOperatorPage } from "@/lib/console/operator-page";
import { SharedModelsPanel } from "./_components/shared-models-panel";

export const metadata: Metadata = { title: "Shared models" };

export default async function OperatorModelsPage() {
  await requireOperatorPage("platform.models.grant", "/operator/models");
  return <SharedModelsPanel />;
}

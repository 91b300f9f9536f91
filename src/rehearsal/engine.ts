import type { ProviderSchemas } from "../terraform/provider-schema";
import { terraformStep, type OfflineTerraform } from "../verification/offline-workspace";

/** `terraform providers schema -json`, read once per run from the first initialized workspace (the AWS schema is large and the same everywhere). */
export function schemaReader(terraform: OfflineTerraform): (initializedDir: string) => Promise<ProviderSchemas> {
  let pending: Promise<ProviderSchemas> | undefined;
  return (dir) => {
    pending ??= terraformStep("providers schema", ["providers", "schema", "-json"], dir, terraform).then((shown) => {
      if (!shown.ok) {
        throw new Error(`terraform providers schema -json failed: ${shown.message}`);
      }
      return JSON.parse(shown.stdout) as ProviderSchemas;
    });
    return pending;
  };
}

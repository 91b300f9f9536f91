import type { TerraformStack } from "cdktf";
import type { Catalogue, EnvironmentConfig } from "../src/config/schema";
import { createAwsProviders, type AwsProviders } from "../src/providers/aws-providers";
import { useEnvironmentBackend, type StateSite } from "../src/state/s3-backend";

/** What every stack of one environment is built from. */
export interface EnvironmentStackProps {
  readonly catalogue: Catalogue;
  readonly environment: EnvironmentConfig;
  /** @default "primary" */
  readonly stateSite?: StateSite;
}

/**
 * What every environment stack starts with: its S3 backend under
 * `<project>/<environment>/<stack>.tfstate` through the environment's state-access roles, and AWS providers that carry the environment's
 * ownership tags and account guard, in `homeRegion` (plus `primary`/`secondary` aliases when the
 * stack spans both regions).
 */
export function environmentBackendAndProviders(
  stack: TerraformStack,
  props: EnvironmentStackProps,
  regions: { readonly homeRegion: string; readonly spans?: { readonly primary: string; readonly secondary: string } },
): AwsProviders {
  const { catalogue, environment } = props;
  useEnvironmentBackend(stack, catalogue, environment.name, props.stateSite);
  return createAwsProviders(stack, {
    project: catalogue.project,
    environment: environment.name,
    owner: environment.owner,
    costCenter: environment.costCenter,
    extraTags: environment.tags,
    accountId: environment.accountId,
    homeRegion: regions.homeRegion,
    spans: regions.spans,
  });
}

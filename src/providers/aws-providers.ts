import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";

/** Who owns what a stack creates; becomes `default_tags` on every AWS provider of the stack. */
export interface OwnershipTags {
  readonly project: string;
  /** Environment name, or `shared` for resources used by every environment. */
  readonly environment: string;
  readonly owner: string;
  /** @default - no cost-center tag */
  readonly costCenter?: string;
  /** Extra tags; cannot replace the ownership tags above. @default {} */
  readonly extraTags?: Readonly<Record<string, string>>;
}

export interface AwsProvidersProps extends OwnershipTags {
  /** The only account these providers may act in (`allowed_account_ids`). */
  readonly accountId: string;
  /** Region of the default (unaliased) provider. */
  readonly homeRegion: string;
  /**
   * Regions of the `primary` and `secondary` aliases, for stacks that create resources in both.
   * @default - single-region stack: no aliases
   */
  readonly spans?: { readonly primary: string; readonly secondary: string };
}

export interface AwsProviders {
  /** Default provider in the stack's home region. */
  readonly home: AwsProvider;
  /** Present when the stack spans two regions. */
  readonly primary?: AwsProvider;
  readonly secondary?: AwsProvider;
}

export const MANAGED_BY = "cdktf";

/** The one place AWS providers are made, so no stack can forget tags or the account guard. */
export function createAwsProviders(scope: Construct, props: AwsProvidersProps): AwsProviders {
  const tags = {
    ...props.extraTags,
    project: props.project,
    environment: props.environment,
    owner: props.owner,
    "managed-by": MANAGED_BY,
    ...(props.costCenter ? { "cost-center": props.costCenter } : {}),
  };
  const make = (id: string, region: string, alias?: string) =>
    new AwsProvider(scope, id, {
      region,
      alias,
      allowedAccountIds: [props.accountId],
      defaultTags: [{ tags }],
    });
  const home = make("aws", props.homeRegion);
  if (!props.spans) {
    return { home };
  }
  return {
    home,
    primary: make("aws-primary", props.spans.primary, "primary"),
    secondary: make("aws-secondary", props.spans.secondary, "secondary"),
  };
}

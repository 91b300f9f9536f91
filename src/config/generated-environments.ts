import { BUILT_IN_CATALOGUE, vpcSlot } from "./catalogue";

type RawCatalogue = typeof BUILT_IN_CATALOGUE;
type RawEnvironment = RawCatalogue["environments"][number];

/**
 * Environments generated from a template environment of the built-in catalogue's raw input, for
 * the benchmark (N environments) and the add-environment rehearsal (one more): each gets its
 * own name, its own pair of VPC slots and, when given, its own account.
 */
export interface GeneratedEnvironment {
  readonly name: string;
  /** The first of two consecutive VPC slots (`vpcSlot`); never one another environment uses. */
  readonly firstVpcSlot: number;
  /** @default - the template's account */
  readonly accountId?: string;
  /** @default - the template's setting */
  readonly joinedToHub?: boolean;
}

export function generatedEnvironment(template: RawEnvironment, generated: GeneratedEnvironment): RawEnvironment {
  const copy = structuredClone(template);
  const accountId = generated.accountId ?? template.accountId;
  // Account-scoped settings follow the account (admin roles are IAM roles of the environment's account).
  const adminRoleArns = copy.cluster.adminRoleArns.map((arn) => arn.replace(`::${template.accountId}:`, `::${accountId}:`));
  return {
    ...copy,
    name: generated.name,
    accountId,
    cluster: { ...copy.cluster, adminRoleArns },
    regions: template.regions.map((region, j) => ({ ...region, vpcCidr: vpcSlot(generated.firstVpcSlot + j) })),
    ...(copy.edge ? { edge: { ...copy.edge, dns: { ...copy.edge.dns, recordName: `${generated.name}.meridian.example.com` } } } : {}),
    joinedToHub: generated.joinedToHub ?? template.joinedToHub,
  } as RawEnvironment;
}

/** The built-in catalogue's raw input with `environment` appended. */
export function withEnvironment(raw: RawCatalogue, environment: RawEnvironment): RawCatalogue {
  return { ...raw, environments: [...raw.environments, environment] };
}

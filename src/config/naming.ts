/**
 * Names derived from the catalogue. Everything that must stay stable across runs (stack ids,
 * state keys, resource names) is computed here and nowhere else.
 */
import { iamRoleArn, partitionOf } from "@meridian/constructs";

export const STATE_BOOTSTRAP_STACK = "state-bootstrap";

/** Environment label used for resources that belong to no single environment. */
export const SHARED_ENVIRONMENT = "shared";

/** A cluster's name in the hub's Argo CD (its cluster secret and ApplicationSet selectors), e.g. `staging-us-west-2`. */
export function argoCdClusterName(environment: string, region: string): string {
  return `${environment}-${region}`;
}

export function regionalStackName(environment: string, region: string): string {
  return `${environment}-regional-${region}`;
}

/** The S3 key of a stack's state: `<project>/<environment>/<stack>.tfstate`. */
export function stateKey(project: string, environment: string, stack: string): string {
  return `${stateKeyPrefix(project, environment)}${stack}.tfstate`;
}

/** What every state key of an environment starts with: `<project>/<environment>/`. */
export function stateKeyPrefix(project: string, environment: string): string {
  return `${project}/${environment}/`;
}

/** Prefix of named resources of an environment, e.g. `meridian-production`. */
export function resourcePrefix(project: string, environment: string): string {
  return `${project}-${environment}`;
}

/** What a state-access role may do with an environment's state: `read` for plans and remote-state reads, `write` for deploys. */
export type StateAccess = "read" | "write";

/**
 * The role in the state account through which an environment's stacks reach their state:
 * `meridian-production-state-writer` (the backend of a deploy) and `meridian-production-state-reader`
 * (the backend of a plan, and every remote-state read).
 */
export function stateAccessRoleName(project: string, environment: string, access: StateAccess): string {
  return `${resourcePrefix(project, environment)}-state-${access === "write" ? "writer" : "reader"}`;
}

/** Which CI role of an environment's account: `deploy` (the deploy workflow) or `plan` (pull-request plans). */
export type CiRole = "deploy" | "plan";

/** Default name of an environment's CI role in its own account when the catalogue names none: `meridian-production-deploy`. */
export function defaultCiRoleName(project: string, environment: string, role: CiRole): string {
  return `${resourcePrefix(project, environment)}-${role}`;
}

/**
 * The ARN of an environment's CI role: the catalogue's `deployRoleArn` / `planRoleArn`, or by
 * default `arn:<partition>:iam::<accountId>:role/<project>-<environment>-<deploy|plan>`. The
 * state-access roles trust exactly these.
 */
export function ciRoleArn(project: string, environment: { name: string; accountId: string; homeRegion: string; deployRoleArn?: string; planRoleArn?: string }, role: CiRole): string {
  const configured = role === "deploy" ? environment.deployRoleArn : environment.planRoleArn;
  return configured ?? iamRoleArn(partitionOf(environment.homeRegion), environment.accountId, defaultCiRoleName(project, environment.name, role));
}

/** The state bucket's replica lives in another region under a name derived from it. */
export function replicaBucketName(bucketName: string, replicaRegion: string): string {
  return `${bucketName}-${replicaRegion}`;
}

/** A short region code for names with tight limits (ELB names: 32): `us-east-1` → `use1`, `ap-southeast-2` → `apse2`. */
export function shortRegion(region: string): string {
  const [area, direction, number] = region.split("-");
  const directionCode = (direction ?? "")
    .replace("north", "n")
    .replace("south", "s")
    .replace("east", "e")
    .replace("west", "w")
    .replace("central", "c");
  return `${area}${directionCode}${number}`;
}

export function globalDatabaseStackName(environment: string): string {
  return `${environment}-global-database`;
}

/** The Aurora global cluster of an environment, e.g. `meridian-production`. */
export function globalClusterIdentifier(project: string, environment: string): string {
  return resourcePrefix(project, environment);
}

/**
 * The name of an environment's EKS cluster in a region (`meridian-production-us-east-1`), also the
 * prefix of that region's named resources. Every stack and command derives it here.
 */
export function clusterName(project: string, environment: string, region: string): string {
  return `${resourcePrefix(project, environment)}-${region}`;
}

/** The regional member cluster, named by region (not role) so a switchover renames nothing. */
export function auroraClusterIdentifier(project: string, environment: string, region: string): string {
  return clusterName(project, environment, region);
}

/**
 * Output names of an environment's global-database stack, for the stack that writes them and
 * whoever reads them (operators' `terraform output`, another app's remote state, the tests).
 */
export const GLOBAL_DATABASE_OUTPUTS = {
  /** The Aurora global cluster's identifier (`AuroraGlobalDatabase.fromGlobalDatabaseAttributes`). */
  globalClusterId: "global_cluster_id",
  /** The replicated master secret's ARN. */
  masterSecretArn: "master_secret_arn",
  /** The data layer's customer key per region (`{ <region>: <arn> }`). */
  dataKeyArns: "data_key_arns",
  /** The DynamoDB global tables' names. */
  keyValueTables: "key_value_tables",
} as const;

/** Secrets Manager name of the master credentials; replicas in the other region carry the same name. */
export function masterSecretName(project: string, environment: string): string {
  return `${project}/${environment}/aurora/master`;
}

export function edgeStackName(environment: string): string {
  return `${environment}-edge`;
}

export function platformStackName(environment: string, region: string): string {
  return `${environment}-platform-${region}`;
}

/** The GitOps hub's side of the network path to every spoke (peering requests, hub routes). */
export function hubNetworkStackName(hubEnvironment: string): string {
  return `${hubEnvironment}-hub-network`;
}

/** A spoke's side of the network path to the GitOps hub (peering acceptance, routes, API access). */
export function hubLinkStackName(environment: string, region: string): string {
  return `${environment}-hub-link-${region}`;
}

/*
 * Outputs one stack writes and another reads from its state by name (not through cdktf
 * cross-stack references, which exist only in a whole-catalogue synth): the producer declares
 * them with these names and the consumer reads them with the same, so a rename is one edit.
 * `npm run rehearse` checks every such read against the producer's outputs.
 */

/** Output of the hub network stack holding the peering connection to one spoke (read by that spoke's hub-link stack). */
export function hubPeeringOutputName(environment: string, region: string): string {
  return `peering_connection_${environment}_${region}`.replace(/-/g, "_");
}

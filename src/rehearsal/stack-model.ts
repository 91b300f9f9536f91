import { GUARDED_RESOURCE_TYPES } from "../plan-review/guarded-resources";
import { offlineBlocker, type SynthesizedStack } from "../verification/synthesized-stacks";

/**
 * What the deploy rehearsal needs to know about a synthesized stack, read from its JSON alone:
 * who runs it (its account), where its state lives and through which role, and which states and
 * outputs of other stacks it reads.
 */

/** Where a state is stored, and the role (if any) the caller assumes to reach it. */
export interface StateLocation {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** `assume_role.role_arn` (or the deprecated top-level `role_arn`). */
  readonly roleArn?: string;
  /** The DynamoDB lock table (backends only). */
  readonly lockTable?: string;
  readonly kmsKeyId?: string;
}

export interface RemoteStateRead {
  /** The `terraform_remote_state` block's name. */
  readonly name: string;
  readonly location: StateLocation;
  /** Outputs the stack reads from it. */
  readonly outputs: readonly string[];
}

export interface StackModel {
  readonly name: string;
  readonly stack: SynthesizedStack;
  /** The account its AWS providers are pinned to (`allowed_account_ids`), if any. */
  readonly accountId?: string;
  /** The S3 backend; undefined for a local backend (the state bootstrap before its migration). */
  readonly backend?: StateLocation;
  readonly reads: readonly RemoteStateRead[];
  /** Output names the stack declares. */
  readonly outputs: readonly string[];
  /** Undefined when the stack plans offline; else why not (helm/kubernetes providers). */
  readonly notPlannable?: string;
  /** Guarded resource addresses it manages (`type.name`). */
  readonly guardedResources: readonly string[];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function location(config: Record<string, unknown>): StateLocation {
  const assumeRole = config.assume_role as Record<string, unknown> | readonly Record<string, unknown>[] | undefined;
  const role = Array.isArray(assumeRole) ? assumeRole[0] : assumeRole;
  const roleArn = text((role as Record<string, unknown> | undefined)?.role_arn) ?? text(config.role_arn);
  const lockTable = text(config.dynamodb_table);
  const kmsKeyId = text(config.kms_key_id);
  return {
    bucket: String(config.bucket ?? ""),
    key: String(config.key ?? ""),
    region: String(config.region ?? ""),
    ...(roleArn ? { roleArn } : {}),
    ...(lockTable ? { lockTable } : {}),
    ...(kmsKeyId ? { kmsKeyId } : {}),
  };
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function stackModel(stack: SynthesizedStack): StackModel {
  const config = stack.config;
  const s3 = config.terraform?.backend?.s3;
  const body = JSON.stringify({ ...config, data: { ...config.data, terraform_remote_state: undefined } });
  const reads = Object.entries(config.data?.terraform_remote_state ?? {}).map(([name, block]): RemoteStateRead => {
    const pattern = new RegExp(`data\\.terraform_remote_state\\.${escape(name)}\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
    return { name, location: location((block.config as Record<string, unknown> | undefined) ?? {}), outputs: [...new Set([...body.matchAll(pattern)].map((m) => m[1]!))].sort() };
  });
  const accounts = (config.provider?.aws ?? []).flatMap((p) => (Array.isArray(p.allowed_account_ids) ? (p.allowed_account_ids as unknown[]).map(String) : []));
  const guardedResources = Object.entries(config.resource ?? {})
    .filter(([type]) => type in GUARDED_RESOURCE_TYPES)
    .flatMap(([type, blocks]) => Object.keys(blocks).map((name) => `${type}.${name}`));
  const notPlannable = offlineBlocker(stack);
  return {
    name: stack.name,
    stack,
    ...(accounts[0] ? { accountId: accounts[0] } : {}),
    ...(s3 ? { backend: location(s3) } : {}),
    reads,
    outputs: Object.keys(config.output ?? {}).sort(),
    ...(notPlannable ? { notPlannable } : {}),
    guardedResources,
  };
}

/** The stack whose backend stores the state at `read` (same bucket and key), if any. */
export function producerOf(read: StateLocation, models: readonly StackModel[]): StackModel | undefined {
  return models.find((m) => m.backend?.key === read.key && m.backend.bucket === read.bucket);
}

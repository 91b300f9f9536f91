import { actionCovers, dataDocumentStatements, parseJsonPolicy, type PolicyStatement } from "../policy/policy-document";
import type { SynthesizedStack } from "../verification/synthesized-stacks";
import type { StateLocation } from "./stack-model";

/**
 * Can a stack's credentials reach a state? Modelled from the synthesized JSON: the principal that
 * runs a stack is its environment's deploy role (an account, and the role's ARN when the
 * catalogue names it); a state in another account is reachable only through the `assume_role`
 * the backend or remote-state block names, which must be an `aws_iam_role` of the stack that
 * creates the state bucket (the state bootstrap), trusting that principal, with identity policies
 * that grant what Terraform's S3 backend needs (developer.hashicorp.com/terraform/language/backend/s3,
 * "S3 Bucket Permissions" and "DynamoDB Table Permissions"): `s3:GetObject` (read) and
 * `s3:PutObject` (write) on the state object, `dynamodb:GetItem`/`PutItem`/`DeleteItem` on the lock
 * table (write), and `kms:Decrypt` (read) / `kms:GenerateDataKey` (write) on the state key when
 * the backend names one. Without a role, a cross-account backend fails outright: its lock table
 * name resolves in the caller's account.
 */

export interface Principal {
  readonly accountId: string;
  /** The deploy role's ARN; undefined when the catalogue does not name it (then only account-wide trust matches). */
  readonly roleArn?: string;
  /** How the report names it. */
  readonly description: string;
}

export type Access = "read" | "write";

/** A role of the state bootstrap, with its trust and identity statements resolved to literal ARNs where the stack names them. */
interface StateRole {
  readonly address: string;
  readonly arn: string;
  readonly trust: readonly PolicyStatement[];
  readonly permissions: readonly PolicyStatement[];
}

/** What the stack creating the state bucket grants, read once per synthesized app. */
export interface StateGrants {
  /** The stack that creates the bucket (usually `state-bootstrap`), and its account. */
  readonly ownerStack?: string;
  readonly ownerAccount?: string;
  readonly bucket: string;
  readonly roles: readonly StateRole[];
}

type Blocks = Record<string, Record<string, unknown>>;

/** Literal values of `${aws_x.y.attr}` references inside the stack, where the configuration determines them. */
function referenceResolver(stack: SynthesizedStack, accountId: string, region: (block: Record<string, unknown>) => string): (text: string) => string {
  const resources = (stack.config.resource ?? {}) as Record<string, Blocks>;
  const attribute = (type: string, name: string, attr: string): string | undefined => {
    const block = resources[type]?.[name];
    if (!block) {
      return undefined;
    }
    switch (`${type}.${attr}`) {
      case "aws_s3_bucket.arn":
        return typeof block.bucket === "string" ? `arn:aws:s3:::${block.bucket}` : undefined;
      case "aws_s3_bucket.id":
      case "aws_s3_bucket.bucket":
        return typeof block.bucket === "string" ? block.bucket : undefined;
      case "aws_dynamodb_table.arn":
        return typeof block.name === "string" ? `arn:aws:dynamodb:${region(block)}:${accountId}:table/${block.name}` : undefined;
      case "aws_iam_role.arn":
        return typeof block.name === "string" ? `arn:aws:iam::${accountId}:role${typeof block.path === "string" ? block.path : "/"}${block.name}` : undefined;
      case "aws_iam_role.name":
      case "aws_iam_role.id":
        return typeof block.name === "string" ? block.name : undefined;
      case "aws_kms_key.arn":
      case "aws_kms_replica_key.arn":
        // Known after apply; the rehearsal matches it by the aliases that target it.
        return `kms-key:${type}.${name}`;
      default:
        return undefined;
    }
  };
  return (text: string) => text.replace(/\$\{(aws_[a-z0-9_]+)\.([\w-]+)\.(\w+)\}/g, (whole, type: string, name: string, attr: string) => attribute(type, name, attr) ?? whole);
}

function resolveStatements(statements: readonly PolicyStatement[], resolve: (text: string) => string): PolicyStatement[] {
  const all = (values: readonly string[]) => values.map(resolve);
  return statements.map((s) => ({
    ...s,
    resources: all(s.resources),
    notResources: all(s.notResources),
    principals: s.principals.map((p) => ({ ...p, identifiers: all(p.identifiers) })),
    conditions: s.conditions.map((c) => ({ ...c, values: all(c.values) })),
  }));
}

function documentStatements(stack: SynthesizedStack, value: unknown): PolicyStatement[] {
  if (typeof value !== "string") {
    return [];
  }
  const data = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(value.trim());
  if (data) {
    const block = (stack.config.data?.aws_iam_policy_document as Blocks | undefined)?.[data[1]!];
    return (block && dataDocumentStatements(block)) ?? [];
  }
  return parseJsonPolicy(value) ?? [];
}

/** The state grants of the app: the roles of the stack that creates `bucket`. */
export function stateGrants(stacks: readonly SynthesizedStack[], bucket: string, accountOf: (stack: SynthesizedStack) => string | undefined): StateGrants {
  const owner = stacks.find((s) => Object.values((s.config.resource?.aws_s3_bucket ?? {}) as Blocks).some((b) => b.bucket === bucket));
  if (!owner) {
    return { bucket, roles: [] };
  }
  const accountId = accountOf(owner) ?? "";
  const providerRegion = (block: Record<string, unknown>) => {
    const alias = typeof block.provider === "string" ? block.provider.replace(/^aws\./, "") : undefined;
    const provider = (owner.config.provider?.aws ?? []).find((p) => (alias ? p.alias === alias : p.alias === undefined));
    return String(provider?.region ?? "");
  };
  const resolve = referenceResolver(owner, accountId, providerRegion);
  const resources = (owner.config.resource ?? {}) as Record<string, Blocks>;
  const rolePolicies = (roleName: string, roleAddress: string): PolicyStatement[] => {
    const names = new Set([roleName, `\${${roleAddress}.name}`, `\${${roleAddress}.id}`]);
    const inline = Object.values(resources.aws_iam_role_policy ?? {}).filter((p) => names.has(String(p.role)));
    const attachedPolicies = Object.values(resources.aws_iam_role_policy_attachment ?? {})
      .filter((a) => names.has(String(a.role)))
      .flatMap((a) => {
        const match = /^\$\{aws_iam_policy\.([\w-]+)\.arn\}$/.exec(String(a.policy_arn));
        const policy = match ? resources.aws_iam_policy?.[match[1]!] : undefined;
        return policy ? [policy] : [];
      });
    return [...inline, ...attachedPolicies].flatMap((p) => documentStatements(owner, p.policy));
  };
  const roles = Object.entries(resources.aws_iam_role ?? {}).map(([name, block]): StateRole => {
    const address = `aws_iam_role.${name}`;
    const inlineBlocks = Array.isArray(block.inline_policy) ? (block.inline_policy as Record<string, unknown>[]) : [];
    return {
      address,
      arn: resolve(`\${${address}.arn}`),
      trust: resolveStatements(documentStatements(owner, block.assume_role_policy), resolve),
      permissions: resolveStatements([...rolePolicies(String(block.name), address), ...inlineBlocks.flatMap((p) => documentStatements(owner, p.policy))], resolve),
    };
  });
  return { ownerStack: owner.name, ownerAccount: accountId, bucket, roles };
}

/** IAM's wildcard match (`*`, `?`) of a resource pattern against an ARN. */
function arnMatches(pattern: string, arn: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(arn);
}

function allows(statements: readonly PolicyStatement[], action: string, resource: string | ((pattern: string) => boolean)): boolean {
  const matches = typeof resource === "string" ? (pattern: string) => arnMatches(pattern, resource) : resource;
  const applies = (s: PolicyStatement) => s.actions.some((a) => actionCovers(a, action)) && s.resources.some(matches);
  return statements.some((s) => s.effect === "Allow" && applies(s)) && !statements.some((s) => s.effect === "Deny" && applies(s) && s.conditions.length === 0);
}

function trusts(role: StateRole, principal: Principal): boolean {
  const accepted = new Set([principal.accountId, `arn:aws:iam::${principal.accountId}:root`, ...(principal.roleArn ? [principal.roleArn] : [])]);
  return role.trust.some(
    (s) => s.effect === "Allow" && s.actions.some((a) => actionCovers(a, "sts:AssumeRole")) && s.principals.some((p) => p.type === "AWS" && p.identifiers.some((id) => accepted.has(id))),
  );
}

/**
 * Why `principal` cannot reach the state at `location` for `access`, or undefined when it can.
 * `what` names the config in the message (`backend`, `data.terraform_remote_state.x`).
 */
export function unreachableReason(location: StateLocation, access: Access, principal: Principal, grants: StateGrants, what: string): string | undefined {
  if (!grants.ownerStack || grants.ownerAccount === undefined) {
    return `${what}: no stack creates the state bucket ${location.bucket}`;
  }
  if (!location.roleArn) {
    if (grants.ownerAccount === principal.accountId) {
      return undefined;
    }
    const lock = access === "write" && location.lockTable ? `, and the lock table ${location.lockTable} would resolve in account ${principal.accountId}` : "";
    return `${what}: no path from account ${principal.accountId} (${principal.description}) to the state ${location.key} in account ${grants.ownerAccount} (bucket ${location.bucket} of ${grants.ownerStack}): it assumes no role${lock}`;
  }
  const role = grants.roles.find((r) => r.arn === location.roleArn);
  if (!role) {
    return `${what}: assumes ${location.roleArn}, which is no role ${grants.ownerStack} creates (its roles: ${grants.roles.map((r) => r.arn).join(", ") || "none"})`;
  }
  if (!trusts(role, principal)) {
    return `${what}: ${location.roleArn} (${grants.ownerStack} ${role.address}) does not trust ${principal.description}${principal.roleArn ? ` (${principal.roleArn})` : ` in account ${principal.accountId}`}`;
  }
  const object = `arn:aws:s3:::${location.bucket}/${location.key}`;
  const missing: string[] = [];
  if (!allows(role.permissions, "s3:GetObject", object)) {
    missing.push(`s3:GetObject on ${object}`);
  }
  if (access === "write" && !allows(role.permissions, "s3:PutObject", object)) {
    missing.push(`s3:PutObject on ${object}`);
  }
  if (access === "write" && location.lockTable) {
    const table = (pattern: string) => pattern === "*" || new RegExp(`:table/${location.lockTable!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`).test(pattern) || arnMatches(pattern, `arn:aws:dynamodb:${location.region}:${grants.ownerAccount}:table/${location.lockTable}`);
    for (const action of ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]) {
      if (!allows(role.permissions, action, table)) {
        missing.push(`${action} on the lock table ${location.lockTable}`);
      }
    }
  }
  if (location.kmsKeyId) {
    // The state key's ARN is known only after apply: a grant on any key of the state stack, or on the named key/alias, counts.
    const key = (pattern: string) => pattern === "*" || pattern.startsWith("kms-key:") || arnMatches(pattern, location.kmsKeyId!) || pattern.startsWith(`arn:aws:kms:`) && arnMatches(pattern, location.kmsKeyId!);
    for (const action of access === "write" ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"]) {
      if (!allows(role.permissions, action, key)) {
        missing.push(`${action} on the state key ${location.kmsKeyId}`);
      }
    }
  }
  return missing.length === 0 ? undefined : `${what}: ${location.roleArn} trusts ${principal.description} but does not grant ${missing.join(", ")}`;
}

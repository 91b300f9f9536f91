import type { PolicyInput, PolicyResource } from "../policy-input";
import { isUnknown } from "../terraform-values";

/** What a KMS key attribute (`kms_key_id`, `kms_key_arn`, `key_arn`, …) points at. */
export type KeyReference =
  | { readonly kind: "missing" }
  /** An AWS managed key (`alias/aws/...`), not under the account's key policy. */
  | { readonly kind: "aws-managed"; readonly value: string }
  /** A customer key: a key resource of the input, or a literal key ARN/id. */
  | { readonly kind: "customer"; readonly key?: PolicyResource; readonly region?: string; readonly description: string }
  | { readonly kind: "unknown" };

const KEY_TYPES = ["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key", "aws_kms_replica_external_key"];
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:(key|alias)\/(.+)$/;

/**
 * Classifies the key a resource names in `planned` (its planned or configured value) and
 * `configured` (the synthesized value with references intact). A reference to a key resource
 * of any stack in the input is a customer key in that key's provider region.
 */
export function keyReference(input: PolicyInput, resource: PolicyResource, planned: unknown, configured: unknown): KeyReference {
  const key = input.referencedResources(resource, configured, KEY_TYPES)[0];
  if (key) {
    return { kind: "customer", key, region: input.regionOf(key), description: `${key.type}.${key.name}${key.stack === resource.stack ? "" : ` in ${key.stack}`}` };
  }
  const literal = typeof planned === "string" ? planned : typeof configured === "string" && !configured.includes("${") ? configured : undefined;
  if (literal !== undefined && literal !== "") {
    if (/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:)?alias\/aws\//.test(literal)) {
      return { kind: "aws-managed", value: literal };
    }
    const arn = KEY_ARN.exec(literal);
    return { kind: "customer", region: arn?.[1], description: literal };
  }
  if (isUnknown(planned) || (typeof configured === "string" && configured.includes("${"))) {
    return { kind: "unknown" };
  }
  return { kind: "missing" };
}

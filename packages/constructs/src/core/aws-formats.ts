/**
 * Shapes of AWS and Kubernetes identifiers, shared by the schema and the constructs so every
 * check of the same value agrees.
 */

/** A region name: `us-east-1`, `us-gov-west-1`, `cn-north-1`. */
export const REGION_NAME = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/** An IAM role ARN in any partition; groups: partition, account, role name (with any path). */
export const IAM_ROLE_ARN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):role\/([\w+=,.@/-]+)$/;

/** An SNS topic ARN in any partition (standard or FIFO topic name). */
export const SNS_TOPIC_ARN = /^arn:aws(?:-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/;

/** IAM's limit on role names. */
export const IAM_ROLE_NAME_LIMIT = 64;

/** An IAM role name (not an ARN). */
export const IAM_ROLE_NAME = new RegExp(`^[\\w+=,.@-]{1,${IAM_ROLE_NAME_LIMIT}}$`);

/** A role's ARN from its parts; no lookup, so it is known at plan time in any stack. */
export function iamRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The partition, account and name of a literal role ARN; undefined for anything else (including tokens). */
export function parseRoleArn(arn: string): { partition: string; accountId: string; roleName: string } | undefined {
  const match = IAM_ROLE_ARN.exec(arn);
  return match ? { partition: match[1]!, accountId: match[2]!, roleName: match[3]! } : undefined;
}

/** Throws naming the role and IAM's limit when a role name is too long. */
export function assertRoleNameFits(owner: string, setting: string, roleName: string): void {
  if (roleName.length > IAM_ROLE_NAME_LIMIT) {
    throw new Error(`${owner}: ${setting} "${roleName}" is ${roleName.length} characters; IAM allows ${IAM_ROLE_NAME_LIMIT}`);
  }
}

/**
 * Text EC2 accepts in a VPC security group's name and description and in a security group rule's
 * description (CreateSecurityGroup, AuthorizeSecurityGroupIngress): at most 255 of
 * a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=&;{}!$*` (no apostrophe, for one).
 */
export const SECURITY_GROUP_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

/** ARN partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

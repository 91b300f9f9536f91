/**
 * Shapes of AWS and Kubernetes identifiers, shared by the schema and the constructs so every
 * check of the same value agrees.
 */

/** A region name: `us-east-1`, `us-gov-west-1`, `cn-north-1`. */
export const REGION_NAME = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/** An IAM role ARN in any partition. */
export const IAM_ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

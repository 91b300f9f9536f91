import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { perRegion } from "../command-line/per-region";

/**
 * The AWS clients of one state site (region). Only `send` is used, so tests hand in clients whose
 * `send` is mocked (aws-sdk-client-mock) and nothing reaches AWS.
 */
export interface SiteClients {
  readonly s3: Pick<S3Client, "send">;
  readonly dynamodb: Pick<DynamoDBClient, "send">;
}

/** Hands out the clients of a region. */
export type SiteClientFactory = (region: string) => SiteClients;

/**
 * Real SDK v3 clients, one pair per region, created on first use; credentials come from the
 * default provider chain and must reach the state account (its deploy role, or the operator's
 * administrator role there).
 */
export function awsSiteClientFactory(): SiteClientFactory {
  return perRegion((region) => ({ s3: new S3Client({ region, maxAttempts: 3 }), dynamodb: new DynamoDBClient({ region, maxAttempts: 3 }) }));
}

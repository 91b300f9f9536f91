import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { RDSClient } from "@aws-sdk/client-rds";
import { perRegion } from "../command-line/per-region";

/**
 * The AWS clients of one region. Only `send` is used, so tests can hand in clients whose `send`
 * is mocked (aws-sdk-client-mock) and nothing reaches AWS.
 */
export interface RegionalClients {
  readonly rds: Pick<RDSClient, "send">;
  readonly cloudwatch: Pick<CloudWatchClient, "send">;
}

/** Hands out the clients of a region. Every call for a region must reach that region's endpoints. */
export type ClientFactory = (region: string) => RegionalClients;

/**
 * Real SDK v3 clients, one pair per region, created on first use. They get the region only:
 * credentials come from the default provider chain (profile, SSO, environment, instance role).
 */
export function awsClientFactory(): ClientFactory {
  // Few retries: during a failover the old region may not answer, and waiting on it costs time.
  return perRegion((region) => ({ rds: new RDSClient({ region, maxAttempts: 3 }), cloudwatch: new CloudWatchClient({ region, maxAttempts: 3 }) }));
}

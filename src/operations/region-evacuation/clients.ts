import { EKSClient } from "@aws-sdk/client-eks";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GlobalAcceleratorClient } from "@aws-sdk/client-global-accelerator";
import { Route53Client } from "@aws-sdk/client-route-53";
import { awsClientFactory, type ClientFactory } from "../aurora-failover/clients";
import type { CommandRunner } from "../teardown/runner";
import { perRegion } from "../command-line/per-region";

/**
 * Where the global services' control planes answer. Global Accelerator's API is served only from
 * US West (Oregon); Route 53's (record and health-check changes) only from US East (N. Virginia).
 * Their data planes (anycast routing, DNS answers, health checks) are global.
 */
export const GLOBAL_ACCELERATOR_API_REGION = "us-west-2";
export const ROUTE53_API_REGION = "us-east-1";

/**
 * Every AWS client the evacuation uses. Only `send` is used, so tests hand in clients mocked with
 * aws-sdk-client-mock and nothing reaches AWS; the command never builds a client itself.
 */
export interface EvacuationClients {
  /** RDS and CloudWatch per region: the Aurora failover command's own clients. */
  readonly aurora: ClientFactory;
  readonly eks: (region: string) => Pick<EKSClient, "send">;
  readonly elbv2: (region: string) => Pick<ElasticLoadBalancingV2Client, "send">;
  /** Always the us-west-2 endpoint ({@link GLOBAL_ACCELERATOR_API_REGION}). */
  readonly globalAccelerator: Pick<GlobalAcceleratorClient, "send">;
  /** Always the us-east-1 endpoint ({@link ROUTE53_API_REGION}). */
  readonly route53: Pick<Route53Client, "send">;
  /** Runs `aws eks update-kubeconfig` and `kubectl` (Karpenter NodePool limits). */
  readonly run: CommandRunner;
}

/** Real SDK v3 clients, one per service and region, made on first use; credentials from the default chain. */
export function awsEvacuationClients(run: CommandRunner): EvacuationClients {
  // Few retries: during an outage one region may not answer, and waiting on it costs recovery time.
  return {
    aurora: awsClientFactory(),
    eks: perRegion((region) => new EKSClient({ region, maxAttempts: 3 })),
    elbv2: perRegion((region) => new ElasticLoadBalancingV2Client({ region, maxAttempts: 3 })),
    globalAccelerator: new GlobalAcceleratorClient({ region: GLOBAL_ACCELERATOR_API_REGION, maxAttempts: 3 }),
    route53: new Route53Client({ region: ROUTE53_API_REGION, maxAttempts: 3 }),
    run,
  };
}

import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { assertAccountId, assertCidr, assertRegion } from "./checks";

/** One spoke VPC the hub peers with. */
export interface PeeredSpoke {
  /** Stable id used in resource ids, tags and `connections`, e.g. `staging-us-west-2`; changing it replaces the peering. */
  readonly key: string;
  /** The spoke's VPC (a token from its regional stack is fine). */
  readonly vpcId: string;
  /** The spoke VPC's IPv4 CIDR, routed from the hub over the peering. */
  readonly vpcCidr: string;
  /** The spoke's account (the peering's accepter). */
  readonly accountId: string;
  /** The spoke VPC's region (the peering's accepter region). */
  readonly region: string;
}

export interface HubPeeringProps {
  /** The hub cluster's VPC (a token is fine). */
  readonly hubVpcId: string;
  /** Private route tables of the hub VPC, where Argo CD's pods run (tokens are fine). */
  readonly hubRouteTableIds: readonly string[];
  /** Name prefix for tags, e.g. the hub cluster's name. */
  readonly name: string;
  /** The spoke VPCs to peer with, each once. */
  readonly spokes: readonly PeeredSpoke[];
  /** The AWS provider (account and region) of the hub VPC. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * The hub side of the GitOps network path: one VPC peering request from the hub VPC to each
 * spoke VPC (any account, any region; the spoke accepts it in its own stack, see
 * {@link SpokePeeringAcceptance}) and a route to each spoke's CIDR in every private route table
 * of the hub. Peering rather than a transit gateway: Argo CD only ever talks hub → spoke, so no
 * transitive routing is needed, and peering has no hourly or per-GB processing charge.
 *
 * Spoke API endpoints must be private-only: EKS then publishes the endpoint's private addresses
 * under its public DNS name, so the hub resolves and reaches them over the peering.
 */
export class HubPeering extends Construct {
  /** Peering connection per spoke key. */
  readonly connections: Readonly<Record<string, VpcPeeringConnection>>;

  constructor(scope: Construct, id: string, props: HubPeeringProps) {
    super(scope, id);
    const owner = `HubPeering ${props.name}`;
    if (props.hubRouteTableIds.length === 0) {
      throw new Error(`${owner}: hubRouteTableIds is empty; the hub's pods could not route to any spoke`);
    }
    const seen = new Set<string>();
    const connections: Record<string, VpcPeeringConnection> = {};
    for (const spoke of props.spokes) {
      if (seen.has(spoke.key)) {
        throw new Error(`${owner}: spokes lists ${spoke.key} twice; one peering per spoke VPC`);
      }
      seen.add(spoke.key);
      assertCidr(owner, `spokes[${spoke.key}].vpcCidr`, spoke.vpcCidr);
      assertAccountId(owner, `spokes[${spoke.key}].accountId`, spoke.accountId);
      assertRegion(owner, `spokes[${spoke.key}].region`, spoke.region);
      const connection = new VpcPeeringConnection(this, `${spoke.key}-peering`, {
        provider: props.provider,
        vpcId: props.hubVpcId,
        peerVpcId: spoke.vpcId,
        peerOwnerId: spoke.accountId,
        // Always explicit: a cross-region request must name the accepter's region, and the
        // argument forces replacement, so it must not depend on the provider's region.
        peerRegion: spoke.region,
        tags: { Name: `${props.name}-to-${spoke.key}`, "meridian.io/gitops-spoke": spoke.key },
      });
      connections[spoke.key] = connection;
      props.hubRouteTableIds.forEach((routeTableId, index) => {
        new Route(this, `${spoke.key}-route-${index}`, {
          provider: props.provider,
          routeTableId,
          destinationCidrBlock: spoke.vpcCidr,
          vpcPeeringConnectionId: connection.id,
        });
      });
    }
    this.connections = connections;
  }
}

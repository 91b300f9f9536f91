import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { assertAccountId, assertCidr, assertRegion } from "./checks";

/** One spoke VPC the hub peers with. */
export interface PeeredSpoke {
  /** Stable id used in resource ids and outputs, e.g. `staging-us-west-2`. */
  readonly key: string;
  /** The spoke's VPC (a token from its regional stack is fine). */
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly accountId: string;
  readonly region: string;
}

export interface HubPeeringProps {
  /** The hub cluster's VPC (a token is fine). */
  readonly hubVpcId: string;
  /** Private route tables of the hub VPC, where Argo CD's pods run (tokens are fine). */
  readonly hubRouteTableIds: readonly string[];
  /** Name prefix for tags, e.g. the hub cluster's name. */
  readonly name: string;
  readonly spokes: readonly PeeredSpoke[];
  /** @default - the stack's default AWS provider */
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
    if (props.hubRouteTableIds.length === 0) {
      throw new Error(`HubPeering ${props.name}: hubRouteTableIds is empty; the hub's pods could not route to any spoke`);
    }
    const seen = new Set<string>();
    const connections: Record<string, VpcPeeringConnection> = {};
    for (const spoke of props.spokes) {
      if (seen.has(spoke.key)) {
        throw new Error(`HubPeering ${props.name}: spoke ${spoke.key} is listed twice`);
      }
      seen.add(spoke.key);
      assertCidr(`spokes[${spoke.key}].vpcCidr`, spoke.vpcCidr);
      assertAccountId(`spokes[${spoke.key}].accountId`, spoke.accountId);
      assertRegion(`spokes[${spoke.key}].region`, spoke.region);
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

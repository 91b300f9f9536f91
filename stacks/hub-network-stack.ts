import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { clusterName, hubNetworkStackName, hubPeeringOutputName } from "../src/config/naming";
import type { Catalogue, EnvironmentConfig } from "../src/config/schema";
import { HubPeering } from "../src/constructs/hub-network/hub-peering";
import type { StateSite } from "../src/state/s3-backend";
import { environmentBackendAndProviders } from "./environment-stack";
import type { RegionalStack } from "./regional-stack";

export interface HubNetworkStackProps {
  readonly catalogue: Catalogue;
  /** The GitOps hub's regional stack. */
  readonly hub: RegionalStack;
  /** Every other cluster of the catalogue, with its environment. */
  readonly spokes: readonly { readonly environment: EnvironmentConfig; readonly stack: RegionalStack }[];
  /** @default "primary" */
  readonly stateSite?: StateSite;
}

/**
 * `<hub environment>-hub-network`: the GitOps hub's half of the private network path to every
 * spoke's Kubernetes API — a VPC peering request to each spoke VPC and routes to it from the
 * hub's private subnets. Each spoke accepts in its own `<env>-hub-link-<region>` stack (its own
 * account), which reads the request's id from this stack's outputs. Like the hub's platform
 * stack it lists every cluster, so it exists only in a synth of the whole catalogue.
 */
export class HubNetworkStack extends TerraformStack {
  readonly peering: HubPeering;

  constructor(scope: Construct, props: HubNetworkStackProps) {
    const { catalogue, hub } = props;
    const hubEnvironment = catalogue.environments.find((env) => env.name === catalogue.gitopsHub.environment)!;
    super(scope, hubNetworkStackName(hubEnvironment.name));
    environmentBackendAndProviders(this, { catalogue, environment: hubEnvironment, stateSite: props.stateSite }, { homeRegion: hub.region });

    this.peering = new HubPeering(this, "hub-peering", {
      name: clusterName(catalogue.project, hubEnvironment.name, hub.region),
      hubVpcId: hub.network.vpc.id,
      hubRouteTableIds: hub.network.privateRouteTables.map((table) => table.id),
      spokes: props.spokes.map(({ environment, stack }) => ({
        key: `${environment.name}-${stack.region}`,
        vpcId: stack.network.vpc.id,
        vpcCidr: environment.regions.find((r) => r.region === stack.region)!.vpcCidr,
        accountId: environment.accountId,
        region: stack.region,
      })),
    });
    for (const { environment, stack } of props.spokes) {
      new TerraformOutput(this, hubPeeringOutputName(environment.name, stack.region), {
        value: this.peering.connections[`${environment.name}-${stack.region}`]!.id,
        description: `VPC peering from the GitOps hub to ${environment.name}/${stack.region}; accepted by ${environment.name}-hub-link-${stack.region}`,
      });
    }
    this.addDependency(hub);
    props.spokes.forEach(({ stack }) => this.addDependency(stack));
  }
}

import { Fn, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { gitOpsHubSite } from "../src/config/gitops-hub";
import { clusterName, hubNetworkStackName, hubPeeringOutputName } from "../src/config/naming";
import type { Catalogue, EnvironmentConfig } from "../src/config/schema";
import { HubPeering } from "@meridian/constructs";
import { readStackOutputs, type StateSite } from "../src/state/s3-backend";
import { regionalStateKey } from "../src/state/state-access";
import { environmentBackendAndProviders } from "./environment-stack";
import { REGIONAL_OUTPUTS } from "./regional-outputs";
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
    const { environment: hubEnvironment, region: hubRegion } = gitOpsHubSite(catalogue);
    super(scope, hubNetworkStackName(hubEnvironment.name));
    environmentBackendAndProviders(this, { catalogue, environment: hubEnvironment, stateSite: props.stateSite }, { homeRegion: hub.region });

    // Regional outputs are read by state key, not through cdktf cross-stack references: those
    // create outputs only in a whole-catalogue synth, so a per-environment deploy of a regional
    // stack would delete them from under this stack.
    const outputsOf = (environment: EnvironmentConfig, region: string) =>
      readStackOutputs(this, `regional-${environment.name}-${region}`, catalogue.state, regionalStateKey(catalogue, environment.name, region), props.stateSite);
    const hubOutputs = outputsOf(hubEnvironment, hub.region);
    const routeTables = hubOutputs.getList(REGIONAL_OUTPUTS.privateRouteTableIds);
    this.peering = new HubPeering(this, "hub-peering", {
      name: clusterName(catalogue.project, hubEnvironment.name, hub.region),
      hubVpcId: hubOutputs.getString(REGIONAL_OUTPUTS.vpcId),
      // One private route table per AZ of the hub's region.
      hubRouteTableIds: hubRegion.availabilityZones.map((_, i) => Fn.element(routeTables, i)),
      spokes: props.spokes.map(({ environment, stack }) => ({
        key: `${environment.name}-${stack.region}`,
        vpcId: outputsOf(environment, stack.region).getString(REGIONAL_OUTPUTS.vpcId),
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

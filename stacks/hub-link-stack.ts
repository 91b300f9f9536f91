import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { gitOpsHubSite } from "../src/config/gitops-hub";
import { clusterName, hubLinkStackName, hubPeeringOutputName } from "../src/config/naming";
import { SpokePeeringAcceptance } from "@meridian/constructs";
import { readStackOutputs } from "../src/state/s3-backend";
import { hubNetworkStateKey } from "../src/state/state-access";
import { environmentBackendAndProviders, type EnvironmentStackProps } from "./environment-stack";
import type { RegionalHandles } from "./regional-stack";

export interface HubLinkStackProps extends EnvironmentStackProps {
  /** The spoke cluster's region (its `RegionalStack`; the caller orders the stacks). */
  readonly regional: RegionalHandles;
}

/**
 * `<env>-hub-link-<region>`: a spoke's half of the private network path from the GitOps hub
 * (accepts the hub's peering request, routes the hub VPC, admits it on the API port), in the
 * spoke's own account. The request's id is read from the hub network stack's state by key, so
 * this stack also synthesizes when only the spoke's environment is selected.
 */
export class HubLinkStack extends TerraformStack {
  readonly acceptance: SpokePeeringAcceptance;

  constructor(scope: Construct, props: HubLinkStackProps) {
    const { catalogue, environment, regional } = props;
    super(scope, hubLinkStackName(environment.name, regional.region));
    environmentBackendAndProviders(this, props, { homeRegion: regional.region });

    const { region: hubRegion } = gitOpsHubSite(catalogue);
    const hubNetwork = readStackOutputs(this, "hub-network", catalogue.state, hubNetworkStateKey(catalogue), props.stateSite);

    this.acceptance = new SpokePeeringAcceptance(this, "hub-peering", {
      name: clusterName(catalogue.project, environment.name, regional.region),
      peeringConnectionId: hubNetwork.getString(hubPeeringOutputName(environment.name, regional.region)),
      hubVpcCidr: hubRegion.vpcCidr,
      routeTableIds: regional.privateRouteTableIds,
      clusterSecurityGroupId: regional.cluster.clusterSecurityGroupId,
    });
  }
}

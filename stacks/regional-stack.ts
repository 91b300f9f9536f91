import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { planSubnets } from "../src/config/cidr";
import { regionalStackName, resourcePrefix, stateKey } from "../src/config/naming";
import type { Catalogue, EnvironmentConfig, RegionConfig } from "../src/config/schema";
import { Network } from "../src/constructs/network/network";
import { createAwsProviders } from "../src/providers/aws-providers";
import { useS3Backend, type StateSite } from "../src/state/s3-backend";

export interface RegionalStackProps {
  readonly catalogue: Catalogue;
  readonly environment: EnvironmentConfig;
  readonly region: RegionConfig;
  /** @default "primary" */
  readonly stateSite?: StateSite;
}

/** Everything an environment runs in one region: the network, and the cluster on top of it. */
export class RegionalStack extends TerraformStack {
  readonly network: Network;

  constructor(scope: Construct, props: RegionalStackProps) {
    const { catalogue, environment, region } = props;
    const id = regionalStackName(environment.name, region.region);
    super(scope, id);
    useS3Backend(this, catalogue.state, stateKey(catalogue.project, environment.name, id), props.stateSite);
    createAwsProviders(this, {
      project: catalogue.project,
      environment: environment.name,
      owner: environment.owner,
      costCenter: environment.costCenter,
      extraTags: environment.tags,
      accountId: environment.accountId,
      homeRegion: region.region,
    });

    const name = `${resourcePrefix(catalogue.project, environment.name)}-${region.region}`;
    this.network = new Network(this, "network", {
      name,
      region: region.region,
      vpcCidr: region.vpcCidr,
      subnets: planSubnets(region.vpcCidr, region.availabilityZones),
      natGateways: environment.natGateways,
      clusterName: name,
      flowLogRetentionDays: environment.tier === "production" ? 365 : 30,
    });

    new TerraformOutput(this, "vpc_id", { value: this.network.vpc.id });
    new TerraformOutput(this, "private_subnet_ids", { value: this.network.privateSubnets.map((s) => s.id) });
    new TerraformOutput(this, "public_subnet_ids", { value: this.network.publicSubnets.map((s) => s.id) });
    new TerraformOutput(this, "database_subnet_ids", { value: this.network.databaseSubnets.map((s) => s.id) });
  }
}

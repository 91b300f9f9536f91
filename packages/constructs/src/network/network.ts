import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "../core/aws-limits";
import { ACCOUNT_ID, partitionOf } from "../core/aws-formats";
import { parseCidr, type AzSubnetPlan } from "../core/cidr";

/** Interface endpoints nodes use to pull images and get credentials without crossing NAT. */
export const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "ec2", "logs"] as const;

/** A subnet and the availability zone it is in. */
export interface ZonalSubnet {
  /** The subnet's id (a token is fine). */
  readonly id: string;
  /**
   * The zone's name as written, e.g. `us-east-1a`, never a token: constructs group subnets by
   * zone and name resources after it, which they must do at synth time.
   */
  readonly availabilityZone: string;
}

/** A subnet this construct created: its id and zone, plus its ARN and the resource. */
export interface NetworkSubnet extends ZonalSubnet {
  /** The subnet's ARN (fault-injection experiments target subnets by ARN). */
  readonly arn: string;
  /** The `aws_subnet` resource. */
  readonly resource: Subnet;
}

/**
 * What the library's constructs need from a VPC: its id and block, and the private and public
 * subnets with their zones. {@link Network} implements it; {@link Network.fromNetworkAttributes}
 * adopts a VPC made elsewhere.
 */
export interface INetwork {
  /** The VPC's id. */
  readonly vpcId: string;
  /** The VPC's IPv4 block. */
  readonly vpcCidr: string;
  /** Subnets for nodes, pods and the control plane's interfaces; egress through NAT. */
  readonly privateSubnets: readonly ZonalSubnet[];
  /** Subnets for internet-facing load balancers. */
  readonly publicSubnets: readonly ZonalSubnet[];
}

/** An existing VPC, as {@link Network.fromNetworkAttributes} adopts it. */
export interface NetworkAttributes {
  /** The VPC's id. */
  readonly vpcId: string;
  /** The VPC's IPv4 block, e.g. `10.20.0.0/16`. */
  readonly vpcCidr: string;
  /** Private subnets with their zones; at least 2 zones. */
  readonly privateSubnets: readonly ZonalSubnet[];
  /** Public subnets with their zones. @default [] (no internet-facing load balancers) */
  readonly publicSubnets?: readonly ZonalSubnet[];
}

/** A VPC created elsewhere, adopted by {@link Network.fromNetworkAttributes}; it creates nothing. */
class ImportedNetwork extends Construct implements INetwork {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnets: readonly ZonalSubnet[];
  readonly publicSubnets: readonly ZonalSubnet[];

  constructor(scope: Construct, id: string, attrs: NetworkAttributes) {
    super(scope, id);
    const owner = `Network.fromNetworkAttributes "${id}"`;
    if (!Token.isUnresolved(attrs.vpcCidr) && !parseCidr(attrs.vpcCidr)) {
      throw new Error(`${owner}: vpcCidr = ${JSON.stringify(attrs.vpcCidr)} must be an IPv4 CIDR block such as 10.20.0.0/16`);
    }
    const publicSubnets = attrs.publicSubnets ?? [];
    for (const [setting, subnets] of [["privateSubnets", attrs.privateSubnets], ["publicSubnets", publicSubnets]] as const) {
      subnets.forEach((subnet, index) => {
        // A cdktf token or a raw Terraform expression: either is only known at plan time.
        if (Token.isUnresolved(subnet.availabilityZone) || subnet.availabilityZone.includes("${")) {
          throw new Error(`${owner}: ${setting}[${index}].availabilityZone is a token; name the zone (e.g. us-east-1a): subnets are grouped by zone at synth time`);
        }
      });
    }
    const zones = new Set(attrs.privateSubnets.map((s) => s.availabilityZone));
    if (zones.size < 2) {
      throw new Error(`${owner}: privateSubnets span ${JSON.stringify([...zones])}; they must span at least 2 availability zones`);
    }
    this.vpcId = attrs.vpcId;
    this.vpcCidr = attrs.vpcCidr;
    this.privateSubnets = [...attrs.privateSubnets];
    this.publicSubnets = [...publicSubnets];
  }
}


export interface NetworkProps {
  /** Prefix of every name, e.g. `meridian-production-us-east-1`. */
  readonly name: string;
  /** Region the VPC is in; used for endpoint service names. */
  readonly region: string;
  /** The account the VPC is in: the flow-log role trusts the service only on this account's behalf. */
  readonly accountId: string;
  /** The VPC's IPv4 block; `planSubnets` carves the subnets from it. */
  readonly vpcCidr: string;
  /** One entry per AZ, from `planSubnets`. */
  readonly subnets: readonly AzSubnetPlan[];
  /** `per-az`: each private route table uses its own AZ's NAT (an AZ's loss cuts only its own egress); `single`: one NAT for all, cheaper. */
  readonly natGateways: "per-az" | "single";
  /** EKS cluster that discovers these subnets (ELB and Karpenter discovery tags). */
  readonly clusterName: string;
  /** Interface endpoint services (`ecr.api`, …). @default DEFAULT_INTERFACE_ENDPOINTS */
  readonly interfaceEndpoints?: readonly string[];
  /** Flow log retention in days; one of CloudWatch's allowed periods. @default 365 */
  readonly flowLogRetentionDays?: number;
  /** The AWS provider (region and account) the resources are created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * A VPC over several AZs with three subnet tiers per AZ: public (load balancers, NAT), private
 * (nodes and pods, egress through NAT) and database (no internet route). Flow logs are on, the
 * default security group is emptied, and S3 plus the configured interface endpoints keep node
 * traffic to AWS APIs off the NAT gateways.
 */
export class Network extends Construct implements INetwork {
  /**
   * Adopts a VPC made elsewhere (a team's own network): the library's constructs take the
   * result wherever they take a {@link INetwork}. Creates nothing.
   */
  static fromNetworkAttributes(scope: Construct, id: string, attrs: NetworkAttributes): INetwork {
    return new ImportedNetwork(scope, id, attrs);
  }

  /** The `aws_vpc` resource. */
  readonly vpc: Vpc;
  /** The VPC's id. */
  readonly vpcId: string;
  /** The VPC's IPv4 block. */
  readonly vpcCidr: string;
  /** Public subnets, one per AZ, in the order of `subnets`. */
  readonly publicSubnets: NetworkSubnet[] = [];
  /** Private subnets, one per AZ, in the order of `subnets`. */
  readonly privateSubnets: NetworkSubnet[] = [];
  /** Database subnets (no internet route), one per AZ, in the order of `subnets`. */
  readonly databaseSubnets: NetworkSubnet[] = [];
  /** One NAT gateway per AZ, or one in the first AZ (`natGateways: "single"`). */
  readonly natGateways: NatGateway[] = [];
  /** The private subnets' route tables, one per AZ. */
  readonly privateRouteTables: RouteTable[] = [];
  /** Security group of the interface endpoints (HTTPS from the VPC). */
  readonly endpointSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const fail = (setting: string, value: unknown, rule: string): never => {
      throw new Error(`Network "${props.name}": ${setting} = ${JSON.stringify(value)} ${rule}`);
    };
    const retention = props.flowLogRetentionDays ?? 365;
    if (!LOG_RETENTION_DAYS.includes(retention)) {
      fail("flowLogRetentionDays", retention, `is not a CloudWatch retention period (${LOG_RETENTION_DAYS.join(", ")})`);
    }
    if (!Token.isUnresolved(props.accountId) && !ACCOUNT_ID.test(props.accountId)) {
      fail("accountId", props.accountId, "must be a 12-digit AWS account id");
    }
    if (!Token.isUnresolved(props.vpcCidr) && !parseCidr(props.vpcCidr)) {
      fail("vpcCidr", props.vpcCidr, "must be an IPv4 CIDR block such as 10.20.0.0/16");
    }
    const zones = props.subnets.map((s) => s.availabilityZone);
    if (new Set(zones).size < 2) {
      fail("subnets", zones, "must cover at least 2 availability zones");
    }
    if (new Set(zones).size !== zones.length) {
      fail("subnets", zones, "must list each availability zone once");
    }
    this.vpcCidr = props.vpcCidr;
    const provider = props.provider;
    const named = (name: string, extra: Record<string, string> = {}) => ({ Name: `${props.name}-${name}`, ...extra });

    this.vpc = new Vpc(this, "vpc", {
      provider,
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: named("vpc"),
    });
    this.vpcId = this.vpc.id;
    // Adopting the default security group strips its rules, so nothing can use it by accident.
    new DefaultSecurityGroup(this, "default-security-group", { provider, vpcId: this.vpc.id, tags: named("default-deny") });

    const igw = new InternetGateway(this, "internet-gateway", { provider, vpcId: this.vpc.id, tags: named("igw") });
    const publicRoutes = new RouteTable(this, "public-routes", { provider, vpcId: this.vpc.id, tags: named("public") });
    new Route(this, "public-default-route", { provider, routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    const databaseRoutes = new RouteTable(this, "database-routes", { provider, vpcId: this.vpc.id, tags: named("database") });

    const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;
    props.subnets.forEach((plan, index) => {
      const az = plan.availabilityZone;
      const publicSubnet = new Subnet(this, `public-${az}`, {
        provider,
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: plan.public,
        // Load balancers and NAT gateways get their addresses explicitly; nothing else may be public.
        mapPublicIpOnLaunch: false,
        tags: named(`public-${az}`, { tier: "public", "kubernetes.io/role/elb": "1", [clusterTag]: "shared" }),
      });
      new RouteTableAssociation(this, `public-${az}-routes`, { provider, subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
      this.publicSubnets.push({ id: publicSubnet.id, availabilityZone: az, arn: publicSubnet.arn, resource: publicSubnet });

      if (props.natGateways === "per-az" || index === 0) {
        const eip = new Eip(this, `nat-${az}-address`, { provider, domain: "vpc", tags: named(`nat-${az}`), dependsOn: [igw] });
        this.natGateways.push(
          new NatGateway(this, `nat-${az}`, { provider, allocationId: eip.allocationId, subnetId: publicSubnet.id, tags: named(`nat-${az}`) }),
        );
      }
      const nat = this.natGateways[props.natGateways === "per-az" ? index : 0];

      const privateSubnet = new Subnet(this, `private-${az}`, {
        provider,
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: plan.private,
        mapPublicIpOnLaunch: false,
        tags: named(`private-${az}`, {
          tier: "private",
          "kubernetes.io/role/internal-elb": "1",
          [clusterTag]: "shared",
          "karpenter.sh/discovery": props.clusterName,
        }),
      });
      const privateRoutes = new RouteTable(this, `private-${az}-routes`, { provider, vpcId: this.vpc.id, tags: named(`private-${az}`) });
      new Route(this, `private-${az}-default-route`, {
        provider,
        routeTableId: privateRoutes.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nat!.id,
      });
      new RouteTableAssociation(this, `private-${az}-association`, { provider, subnetId: privateSubnet.id, routeTableId: privateRoutes.id });
      this.privateSubnets.push({ id: privateSubnet.id, availabilityZone: az, arn: privateSubnet.arn, resource: privateSubnet });
      this.privateRouteTables.push(privateRoutes);

      const databaseSubnet = new Subnet(this, `database-${az}`, {
        provider,
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: plan.database,
        mapPublicIpOnLaunch: false,
        tags: named(`database-${az}`, { tier: "database" }),
      });
      new RouteTableAssociation(this, `database-${az}-association`, { provider, subnetId: databaseSubnet.id, routeTableId: databaseRoutes.id });
      this.databaseSubnets.push({ id: databaseSubnet.id, availabilityZone: az, arn: databaseSubnet.arn, resource: databaseSubnet });
    });

    this.flowLogs(props, retention);

    new VpcEndpoint(this, "s3-endpoint", {
      provider,
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...this.privateRouteTables.map((t) => t.id), databaseRoutes.id],
      tags: named("s3"),
    });
    this.endpointSecurityGroup = new SecurityGroup(this, "endpoint-security-group", {
      provider,
      name: `${props.name}-vpc-endpoints`,
      description: "HTTPS from inside the VPC to AWS interface endpoints",
      vpcId: this.vpc.id,
      ingress: [
        {
          description: "HTTPS from the VPC",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: [props.vpcCidr],
        },
      ],
      tags: named("vpc-endpoints"),
    });
    for (const service of props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      new VpcEndpoint(this, `${service.replace(/\./g, "-")}-endpoint`, {
        provider,
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: this.privateSubnets.map((s) => s.id),
        securityGroupIds: [this.endpointSecurityGroup.id],
        tags: named(service),
      });
    }
  }

  private flowLogs(props: NetworkProps, retentionDays: number): void {
    const provider = props.provider;
    const logGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      provider,
      name: `/aws/vpc/${props.name}/flow-logs`,
      retentionInDays: retentionDays,
    });
    const trust = new DataAwsIamPolicyDocument(this, "flow-log-trust", {
      provider,
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          // Against the confused deputy: only flow logs of this account, in this region.
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partitionOf(props.region)}:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`] },
          ],
        },
      ],
    });
    const permissions = new DataAwsIamPolicyDocument(this, "flow-log-permissions", {
      provider,
      statement: [
        {
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [logGroup.arn, `${logGroup.arn}:*`],
        },
      ],
    });
    const role = new IamRole(this, "flow-log-role", { provider, namePrefix: "vpc-flow-logs-", assumeRolePolicy: trust.json });
    new IamRolePolicy(this, "flow-log-policy", { provider, role: role.id, name: "write-flow-logs", policy: permissions.json });
    new FlowLog(this, "flow-log", {
      provider,
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.name}-flow-log` },
    });
  }
}

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
import { ACCOUNT_ID } from "../core/aws-formats";
import type { AzSubnetPlan } from "../core/cidr";
import { partitionOf } from "../core/aws-formats";

/** Interface endpoints nodes use to pull images and get credentials without crossing NAT. */
export const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "ec2", "logs"] as const;


export interface NetworkProps {
  /** Prefix of every name, e.g. `meridian-production-us-east-1`. */
  readonly name: string;
  /** Region the VPC is in; used for endpoint service names. */
  readonly region: string;
  /** The account the VPC is in: the flow-log role trusts the service only on this account's behalf. */
  readonly accountId: string;
  readonly vpcCidr: string;
  /** One entry per AZ, from `planSubnets`. */
  readonly subnets: readonly AzSubnetPlan[];
  /** `per-az`: each private route table uses its own AZ's NAT; `single`: one NAT for all (non-production). */
  readonly natGateways: "per-az" | "single";
  /** EKS cluster that discovers these subnets (ELB and Karpenter discovery tags). */
  readonly clusterName: string;
  /** Interface endpoint services (`ecr.api`, …). @default DEFAULT_INTERFACE_ENDPOINTS */
  readonly interfaceEndpoints?: readonly string[];
  /** Flow log retention in days; one of CloudWatch's allowed periods. @default 365 */
  readonly flowLogRetentionDays?: number;
  /** @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * A VPC over several AZs with three subnet tiers per AZ: public (load balancers, NAT), private
 * (nodes and pods, egress through NAT) and database (no internet route). Flow logs are on, the
 * default security group is emptied, and S3 plus the configured interface endpoints keep node
 * traffic to AWS APIs off the NAT gateways.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly databaseSubnets: Subnet[] = [];
  readonly natGateways: NatGateway[] = [];
  readonly privateRouteTables: RouteTable[] = [];
  readonly endpointSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const retention = props.flowLogRetentionDays ?? 365;
    if (!LOG_RETENTION_DAYS.includes(retention)) {
      throw new Error(`Network ${props.name}: flowLogRetentionDays ${retention} is not a CloudWatch retention period (${LOG_RETENTION_DAYS.join(", ")})`);
    }
    if (!Token.isUnresolved(props.accountId) && !ACCOUNT_ID.test(props.accountId)) {
      throw new Error(`Network ${props.name}: accountId "${props.accountId}" must be a 12-digit AWS account id`);
    }
    if (props.subnets.length < 2) {
      throw new Error(`Network ${props.name}: needs subnets in at least 2 availability zones, got ${props.subnets.length}`);
    }
    const provider = props.provider;
    const named = (name: string, extra: Record<string, string> = {}) => ({ Name: `${props.name}-${name}`, ...extra });

    this.vpc = new Vpc(this, "vpc", {
      provider,
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: named("vpc"),
    });
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
      this.publicSubnets.push(publicSubnet);

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
      this.privateSubnets.push(privateSubnet);
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
      this.databaseSubnets.push(databaseSubnet);
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

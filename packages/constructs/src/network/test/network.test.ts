import { TerraformOutput, TerraformVariable, Testing } from "cdktf";
import { awsStack, onlyResourceOf, policyStatements, resourcesOf, synthJson, type SynthesizedJson } from "../../../test-support/fixture";
import { planSubnets } from "../../core";
import { DEFAULT_INTERFACE_ENDPOINTS, Network, type NetworkAttributes, type NetworkProps } from "..";
import { NetworkExample } from "./usage";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const REQUIRED: NetworkProps = {
  name: "net",
  region: "us-east-1",
  accountId: "123456789012",
  vpcCidr: "10.0.0.0/16",
  subnets: planSubnets("10.0.0.0/16", ZONES),
  natGateways: "per-az",
  clusterName: "cluster-a",
};

/** GIVEN a stack with an AWS provider WHEN a Network is built with the required props and `props` THEN the stack's JSON and the construct. */
function synthNetwork(props: Partial<NetworkProps> = {}) {
  const { stack } = awsStack("us-east-1");
  const network = new Network(stack, "network", { ...REQUIRED, ...props });
  return { json: synthJson(stack), network };
}

/** `${aws_x.id_ABC.id}` → the resource id inside it. */
const refId = (expression: unknown) => /\$\{aws_[a-z_]+\.([^.]+)\./.exec(String(expression))![1]!;
const byId = (json: SynthesizedJson, type: string) => json.resource[type] ?? {};
const tagsOf = (block: Record<string, unknown>) => block.tags as Record<string, string>;

describe("Network", () => {
  test("three subnet tiers per AZ from the plan, none mapping public IPs, tagged for the cluster's ELB and Karpenter discovery", () => {
    const { json } = synthNetwork();
    const subnets = resourcesOf(json, "aws_subnet");
    expect(subnets).toHaveLength(9);
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual(REQUIRED.subnets.flatMap((p) => [p.public, p.private, p.database]).sort());
    subnets.forEach((s) => expect(s.map_public_ip_on_launch).toBe(false));
    const tier = (name: string) => subnets.map(tagsOf).filter((t) => t.tier === name);
    tier("public").forEach((t) => expect(t).toMatchObject({ "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/cluster-a": "shared" }));
    tier("private").forEach((t) => expect(t).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": "cluster-a" }));
    tier("database").forEach((t) => expect(Object.keys(t)).not.toContain("kubernetes.io/role/elb"));
  });

  test("natGateways per-az: one NAT per AZ, and each private route table uses its own AZ's NAT", () => {
    const { json } = synthNetwork({ natGateways: "per-az" });
    const subnets = byId(json, "aws_subnet");
    const nats = byId(json, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(3);
    const natAz = (natId: string) => String(subnets[refId(nats[natId]!.subnet_id)]!.availability_zone);
    const privateRoutes = resourcesOf(json, "aws_route").filter((r) => r.nat_gateway_id);
    expect(privateRoutes).toHaveLength(3);
    const tables = byId(json, "aws_route_table");
    for (const route of privateRoutes) {
      expect(tagsOf(tables[refId(route.route_table_id)]!).Name!.endsWith(natAz(refId(route.nat_gateway_id)))).toBe(true);
    }
  });

  test("natGateways single: one NAT gateway serves every private route table", () => {
    const { json } = synthNetwork({ natGateways: "single" });
    expect(resourcesOf(json, "aws_nat_gateway")).toHaveLength(1);
    const targets = resourcesOf(json, "aws_route").filter((r) => r.nat_gateway_id).map((r) => r.nat_gateway_id);
    expect(targets).toHaveLength(3);
    expect(new Set(targets).size).toBe(1);
  });

  test("database subnets have no route to the internet", () => {
    const { json } = synthNetwork();
    const databaseTable = Object.entries(byId(json, "aws_route_table")).find(([, t]) => tagsOf(t).Name!.endsWith("-database"))![0];
    expect(resourcesOf(json, "aws_route").filter((r) => refId(r.route_table_id) === databaseTable)).toEqual([]);
  });

  test("the default security group is adopted with no rules", () => {
    expect(resourcesOf(synthNetwork().json, "aws_default_security_group")).toEqual([expect.not.objectContaining({ ingress: expect.anything(), egress: expect.anything() })]);
  });

  test("flow logs capture all traffic into a log group of flowLogRetentionDays (365 by default)", () => {
    const { json } = synthNetwork();
    expect(onlyResourceOf(json, "aws_flow_log")).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    expect(onlyResourceOf(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/vpc/net/flow-logs", retention_in_days: 365 });
    expect(onlyResourceOf(synthNetwork({ flowLogRetentionDays: 30 }).json, "aws_cloudwatch_log_group")).toMatchObject({ retention_in_days: 30 });
  });

  test("the flow-log role trusts the service only for accountId's flow logs in region", () => {
    const [statement] = policyStatements(synthNetwork({ region: "eu-west-1", subnets: planSubnets("10.0.0.0/16", ["eu-west-1a", "eu-west-1b"]) }).json, "flow-log-trust");
    expect(statement).toMatchObject({ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }] });
    expect(statement!.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
      { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*"] },
    ]);
  });

  test("an S3 gateway endpoint and the default interface endpoints keep AWS API traffic off NAT; HTTPS from the VPC only", () => {
    const { json } = synthNetwork();
    const endpoints = resourcesOf(json, "aws_vpc_endpoint");
    expect(endpoints.map((e) => e.service_name).sort()).toEqual([...DEFAULT_INTERFACE_ENDPOINTS, "s3"].sort().map((s) => `com.amazonaws.us-east-1.${s}`));
    endpoints.filter((e) => e.vpc_endpoint_type === "Interface").forEach((e) => expect(e.private_dns_enabled).toBe(true));
    const group = resourcesOf(json, "aws_security_group").find((g) => String(g.name).endsWith("-vpc-endpoints"))!;
    expect(group.ingress).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, cidr_blocks: ["10.0.0.0/16"], description: expect.any(String) })]);
    expect(group.egress).toBeUndefined();
  });

  test("interfaceEndpoints replaces the default interface endpoints (the S3 gateway stays)", () => {
    const endpoints = resourcesOf(synthNetwork({ interfaceEndpoints: ["ssm"] }).json, "aws_vpc_endpoint");
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.ssm"]);
  });

  test("provider places every resource with that provider", () => {
    const { stack, provider } = awsStack("us-east-1");
    new Network(stack, "network", { ...REQUIRED, provider });
    const json = synthJson(stack);
    for (const blocks of Object.values(json.resource)) {
      Object.values(blocks).forEach((block) => expect(block.provider).toBe("aws"));
    }
  });

  test("implements INetwork: vpcId, vpcCidr, and the subnets with their literal zones, in plan order", () => {
    const { stack } = awsStack("us-east-1");
    const network = new Network(stack, "network", REQUIRED);
    new TerraformOutput(stack, "vpc", { value: network.vpcId });
    new TerraformOutput(stack, "private", { value: network.privateSubnets.map((s) => s.id) });
    new TerraformOutput(stack, "database_arn", { value: network.databaseSubnets[0]!.arn });
    const json = synthJson(stack);
    const idOf = (type: string, name: string) => Object.entries(byId(json, type)).find(([, block]) => tagsOf(block).Name === name)![0];
    expect(json.output!.vpc!.value).toBe(`\${aws_vpc.${idOf("aws_vpc", "net-vpc")}.id}`);
    expect(json.output!.private!.value).toEqual(ZONES.map((az) => `\${aws_subnet.${idOf("aws_subnet", `net-private-${az}`)}.id}`));
    expect(json.output!.database_arn!.value).toBe(`\${aws_subnet.${idOf("aws_subnet", "net-database-us-east-1a")}.arn}`);
    expect(network.vpcCidr).toBe("10.0.0.0/16");
    expect(network.privateSubnets.map((s) => s.availabilityZone)).toEqual(ZONES);
  });

  describe("refuses bad props, naming the prop, the value and the rule", () => {
    const build = (props: Partial<NetworkProps>) => () => synthNetwork(props);
    test("accountId that is not 12 digits", () => {
      expect(build({ accountId: "12345" })).toThrow('Network "net": accountId = "12345" must be a 12-digit AWS account id');
    });
    test("flowLogRetentionDays that is not a CloudWatch period", () => {
      expect(build({ flowLogRetentionDays: 45 })).toThrow('Network "net": flowLogRetentionDays = 45 is not a CloudWatch retention period');
    });
    test("vpcCidr that is not a CIDR block", () => {
      expect(build({ vpcCidr: "10.0.0.0" })).toThrow('Network "net": vpcCidr = "10.0.0.0" must be an IPv4 CIDR block');
    });
    test("subnets in fewer than 2 AZs", () => {
      expect(build({ subnets: planSubnets("10.0.0.0/16", ["us-east-1a"]) })).toThrow('Network "net": subnets = ["us-east-1a"] must cover at least 2 availability zones');
    });
    test("subnets that repeat an AZ", () => {
      const [a, b] = planSubnets("10.0.0.0/16", ["us-east-1a", "us-east-1b"]);
      expect(build({ subnets: [a!, b!, { ...b!, availabilityZone: "us-east-1a" }] })).toThrow('Network "net": subnets = ["us-east-1a","us-east-1b","us-east-1a"] must list each availability zone once');
    });
  });
});

describe("Network.fromNetworkAttributes", () => {
  const ATTRS: NetworkAttributes = {
    vpcId: "vpc-1",
    vpcCidr: "10.30.0.0/16",
    privateSubnets: [
      { id: "subnet-a", availabilityZone: "us-east-1a" },
      { id: "subnet-b", availabilityZone: "us-east-1b" },
    ],
  };
  const adopt = (attrs: Partial<NetworkAttributes> = {}) => Network.fromNetworkAttributes(awsStack().stack, "existing", { ...ATTRS, ...attrs });

  test("adopts the VPC as given and creates nothing; publicSubnets default to none", () => {
    const { stack } = awsStack();
    const network = Network.fromNetworkAttributes(stack, "existing", ATTRS);
    expect(network).toMatchObject({ vpcId: "vpc-1", vpcCidr: "10.30.0.0/16", privateSubnets: ATTRS.privateSubnets, publicSubnets: [] });
    expect(synthJson(stack).resource ?? {}).toEqual({});
  });

  test("publicSubnets are kept", () => {
    const publicSubnets = [{ id: "subnet-p", availabilityZone: "us-east-1a" }];
    expect(adopt({ publicSubnets }).publicSubnets).toEqual(publicSubnets);
  });

  test("refuses private subnets in fewer than 2 AZs, a token zone, and a vpcCidr that is not a block", () => {
    expect(() => adopt({ privateSubnets: [ATTRS.privateSubnets[0]!] })).toThrow('Network.fromNetworkAttributes "existing": privateSubnets span ["us-east-1a"]; they must span at least 2 availability zones');
    const { stack } = awsStack();
    const zone = new TerraformVariable(stack, "zone", { type: "string" }).stringValue;
    expect(() => Network.fromNetworkAttributes(stack, "existing", { ...ATTRS, privateSubnets: [...ATTRS.privateSubnets, { id: "subnet-c", availabilityZone: zone }] })).toThrow(
      "privateSubnets[2].availabilityZone is a token",
    );
    expect(() => adopt({ vpcCidr: "10.30.0.0/33" })).toThrow('vpcCidr = "10.30.0.0/33" must be an IPv4 CIDR block');
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new NetworkExample(Testing.app(), "example"))).toMatchSnapshot();
});

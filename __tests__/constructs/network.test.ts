import { policyStatements, resourcesOf, synthStacks, type SynthesizedJson } from "../helpers";

const stacks = synthStacks();
const production = stacks.get("production-regional-us-east-1")!;
const staging = stacks.get("staging-regional-us-west-2")!;

/** `${aws_x.id_ABC.id}` → the resource id inside it. */
const refId = (expression: unknown) => /\$\{aws_[a-z_]+\.([^.]+)\./.exec(String(expression))![1]!;
const byId = (json: SynthesizedJson, type: string) => json.resource[type] ?? {};

describe("Network", () => {
  test("production: one NAT gateway per AZ, and each private route table uses its own AZ's NAT", () => {
    const subnets = byId(production, "aws_subnet");
    const nats = byId(production, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(3);
    const natAz = (natId: string) => String(subnets[refId(nats[natId]!.subnet_id)]!.availability_zone);
    expect(new Set(Object.keys(nats).map(natAz)).size).toBe(3);

    const privateRoutes = Object.values(byId(production, "aws_route")).filter((r) => r.nat_gateway_id);
    expect(privateRoutes).toHaveLength(3);
    const tables = byId(production, "aws_route_table");
    for (const route of privateRoutes) {
      const tableName = (tables[refId(route.route_table_id)]!.tags as Record<string, string>).Name!;
      expect(tableName.endsWith(natAz(refId(route.nat_gateway_id)))).toBe(true);
    }
  });

  test("staging: a single NAT gateway serves every private route table", () => {
    expect(resourcesOf(staging, "aws_nat_gateway")).toHaveLength(1);
    const targets = resourcesOf(staging, "aws_route").filter((r) => r.nat_gateway_id).map((r) => r.nat_gateway_id);
    expect(targets).toHaveLength(3);
    expect(new Set(targets).size).toBe(1);
  });

  test.each([...stacks.entries()].filter(([n]) => n.includes("-regional-")))("%s: three tiers over 3 AZs, none mapping public IPs", (_name, json) => {
    const subnets = resourcesOf(json, "aws_subnet");
    expect(subnets).toHaveLength(9);
    expect(new Set(subnets.map((s) => s.availability_zone)).size).toBe(3);
    subnets.forEach((s) => expect(s.map_public_ip_on_launch).toBe(false));
  });

  test("subnets carry ELB and Karpenter discovery tags for the region's cluster", () => {
    const tagsOf = (tier: string) => resourcesOf(production, "aws_subnet").map((s) => s.tags as Record<string, string>).filter((t) => t.tier === tier);
    tagsOf("public").forEach((t) => expect(t).toMatchObject({ "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/meridian-production-us-east-1": "shared" }));
    tagsOf("private").forEach((t) =>
      expect(t).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": "meridian-production-us-east-1" }),
    );
    tagsOf("database").forEach((t) => expect(Object.keys(t)).not.toContain("kubernetes.io/role/elb"));
  });

  test("database subnets have no route to the internet", () => {
    const tables = byId(production, "aws_route_table");
    const databaseTable = Object.entries(tables).find(([, t]) => (t.tags as Record<string, string>).Name!.endsWith("-database"))![0];
    const routes = resourcesOf(production, "aws_route").filter((r) => refId(r.route_table_id) === databaseTable);
    expect(routes).toEqual([]);
  });

  test("the default security group is adopted with no rules", () => {
    expect(resourcesOf(production, "aws_default_security_group")).toEqual([
      expect.not.objectContaining({ ingress: expect.anything(), egress: expect.anything() }),
    ]);
  });

  test("flow logs capture all traffic into a retention-bounded log group", () => {
    expect(resourcesOf(production, "aws_flow_log")).toEqual([expect.objectContaining({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" })]);
    const flowLogGroup = (json: SynthesizedJson) => resourcesOf(json, "aws_cloudwatch_log_group").find((g) => String(g.name).endsWith("/flow-logs"));
    expect(flowLogGroup(production)).toMatchObject({ retention_in_days: 365 });
    expect(flowLogGroup(staging)).toMatchObject({ retention_in_days: 30 });
  });

  test("the flow-log role trusts the service only for this account's flow logs in this region", () => {
    const [statement] = policyStatements(production, "flow-log-trust");
    expect(statement).toMatchObject({ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }] });
    expect(statement!.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["333333333333"] },
      { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:aws:ec2:us-east-1:333333333333:vpc-flow-log/*"] },
    ]);
  });

  test("S3 gateway and interface endpoints keep AWS API traffic off NAT", () => {
    const endpoints = resourcesOf(production, "aws_vpc_endpoint");
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(
      ["ec2", "ecr.api", "ecr.dkr", "logs", "s3", "sts"].map((s) => `com.amazonaws.us-east-1.${s}`),
    );
    endpoints.filter((e) => e.vpc_endpoint_type === "Interface").forEach((e) => expect(e.private_dns_enabled).toBe(true));
    const group = resourcesOf(production, "aws_security_group").find((g) => String(g.name).endsWith("-vpc-endpoints"))!;
    expect(group.ingress).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, cidr_blocks: ["10.72.0.0/16"], description: expect.any(String) })]);
    expect(group.egress).toBeUndefined();
  });
  // The refusals (accountId, flowLogRetentionDays, subnets) are the library's network tests.
});

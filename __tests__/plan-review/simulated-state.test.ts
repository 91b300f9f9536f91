import { expressionAt, foldPlannedChanges, simulateAppliedResources, stateFile } from "../../src/plan-review/simulated-state";
import type { PlanJson } from "../../src/terraform/plan-json";
import type { ProviderSchemas } from "../../src/terraform/provider-schema";

const AWS = "registry.terraform.io/hashicorp/aws";

/** A slice of the AWS schema: enough for a VPC, a route table, a route and an EKS cluster. */
const SCHEMAS: ProviderSchemas = {
  provider_schemas: {
    [AWS]: {
      resource_schemas: {
        aws_vpc: { version: 1, block: { attributes: { id: { type: "string", computed: true }, arn: { type: "string", computed: true }, cidr_block: { type: "string", optional: true } } } },
        aws_sns_topic: { version: 0, block: { attributes: { id: { type: "string", computed: true }, arn: { type: "string", computed: true }, fifo_throughput_scope: { type: "string", optional: true, computed: true } } } },
        aws_route_table: { version: 0, block: { attributes: { id: { type: "string", computed: true }, vpc_id: { type: "string", required: true } } } },
        aws_route: { version: 0, block: { attributes: { id: { type: "string", computed: true }, route_table_id: { type: "string", required: true }, destination_cidr_block: { type: "string", optional: true } } } },
        aws_eks_cluster: {
          version: 0,
          block: {
            attributes: {
              id: { type: "string", computed: true },
              endpoint: { type: "string", computed: true },
              certificate_authority: { type: ["list", ["object", { data: "string" }]], computed: true },
              name: { type: "string", required: true },
            },
            block_types: { vpc_config: { nesting_mode: "list", block: { attributes: { subnet_ids: { type: ["set", "string"], required: true }, cluster_security_group_id: { type: "string", computed: true } } } } },
          },
        },
      },
    },
  },
};

function planned(address: string, values: Record<string, unknown>, unknown: Record<string, unknown>, expressions: Record<string, unknown> = {}) {
  const [type, name] = address.split(".");
  return {
    resource: { address, mode: "managed", type, name, provider_name: AWS, schema_version: 0, values },
    change: { address, mode: "managed", type, name, provider_name: AWS, change: { actions: ["create"], before: null, after: values, after_unknown: unknown } },
    config: { address, mode: "managed", type, name, provider_config_key: "aws", expressions },
  };
}

function plan(...resources: ReturnType<typeof planned>[]): PlanJson {
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    planned_values: { root_module: { resources: resources.map((r) => r.resource) } },
    resource_changes: resources.map((r) => r.change),
    configuration: { provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "eu-west-1" } } } as never }, root_module: { resources: resources.map((r) => r.config) } },
  } as unknown as PlanJson;
}

const BASE = plan(
  planned("aws_route.default", { destination_cidr_block: "0.0.0.0/0" }, { id: true, route_table_id: true }, { route_table_id: { constant_value: "${aws_route_table.private.id}", references: ["aws_route_table.private.id"] } }),
  planned("aws_route_table.private", {}, { id: true, vpc_id: true }, { vpc_id: { constant_value: "${aws_vpc.main.id}" } }),
  planned("aws_vpc.main", { cidr_block: "10.0.0.0/16" }, { id: true, arn: true }),
  planned("aws_eks_cluster.main", { name: "c", vpc_config: [{ subnet_ids: ["subnet-1"] }] }, { id: true, endpoint: true, certificate_authority: true, vpc_config: [{ cluster_security_group_id: true }] }),
);

describe("simulated state: attributes AWS leaves empty", () => {
  test("an SNS topic's FIFO throughput scope stays empty unless configured (a placeholder would make the provider refuse a standard topic)", () => {
    // GIVEN a standard topic whose plan leaves fifo_throughput_scope unknown
    const [topic] = simulateAppliedResources(plan(planned("aws_sns_topic.alerts", {}, { id: true, arn: true, fifo_throughput_scope: true })), SCHEMAS);
    // THEN it is null in the simulated state, while the id and ARN get placeholders
    expect(topic!.attributes.fifo_throughput_scope).toBeNull();
    expect(topic!.attributes.arn).toMatch(/^arn:aws:sns:eu-west-1:/);
  });
});

describe("simulated state", () => {
  const resources = simulateAppliedResources(BASE, SCHEMAS);
  const byAddress = new Map(resources.map((r) => [r.address, r.attributes]));

  test("keeps the planned values and fills what was unknown with placeholders of the schema's shape", () => {
    const vpc = byAddress.get("aws_vpc.main")!;
    expect(vpc.cidr_block).toBe("10.0.0.0/16");
    expect(vpc.id).toMatch(/^vpc-[0-9a-f]{16}$/);
    expect(vpc.arn).toMatch(/^arn:aws:vpc:eu-west-1:000000000000:/);
    const cluster = byAddress.get("aws_eks_cluster.main")!;
    expect(cluster.endpoint).toMatch(/^https:\/\//);
    // A computed list of objects gets one element, so `certificate_authority[0].data` resolves.
    expect(cluster.certificate_authority).toEqual([{ data: expect.stringMatching(/^sim-/) }]);
    expect(cluster.vpc_config).toEqual([{ subnet_ids: ["subnet-1"], cluster_security_group_id: expect.stringMatching(/^sg-/) }]);
  });

  test("resolves unknown attributes set from another resource's attribute to that attribute's simulated value, in reference order", () => {
    expect(byAddress.get("aws_route_table.private")!.vpc_id).toBe(byAddress.get("aws_vpc.main")!.id);
    expect(byAddress.get("aws_route.default")!.route_table_id).toBe(byAddress.get("aws_route_table.private")!.id);
  });

  test("is the same for the same plan (placeholders derive from addresses)", () => {
    expect(simulateAppliedResources(BASE, SCHEMAS)).toEqual(resources);
  });

  test("throws when the schema lacks a resource type", () => {
    const unknownType = plan(planned("aws_widget.x", {}, { id: true }));
    expect(() => simulateAppliedResources(unknownType, SCHEMAS)).toThrow("aws_widget.x: the provider schema of registry.terraform.io/hashicorp/aws has no resource type aws_widget");
  });

  test("folding a plan takes the planned values and keeps simulated ones where still unknown", () => {
    const copy = simulateAppliedResources(BASE, SCHEMAS);
    const vpcId = copy.find((r) => r.address === "aws_vpc.main")!.attributes.id;
    const changed = foldPlannedChanges(copy, {
      format_version: "1.2",
      terraform_version: "1.11.4",
      resource_changes: [
        { address: "aws_vpc.main", mode: "managed", type: "aws_vpc", name: "main", provider_name: AWS, change: { actions: ["update"], before: {}, after: { cidr_block: "10.1.0.0/16", arn: "arn:x" }, after_unknown: { id: true } } },
        { address: "aws_route.default", mode: "managed", type: "aws_route", name: "default", provider_name: AWS, change: { actions: ["no-op"], before: {}, after: {} } },
      ],
    });
    expect(changed).toBe(1);
    expect(copy.find((r) => r.address === "aws_vpc.main")!.attributes).toEqual({ cidr_block: "10.1.0.0/16", arn: "arn:x", id: vpcId });
  });

  test("writes a version-4 state with provider addresses including the alias", () => {
    const state = stateFile([{ ...resources[0]!, providerConfigKey: "aws.primary" }], "1.11.4", "l") as { version: number; resources: { provider: string; instances: { schema_version: number }[] }[] };
    expect(state.version).toBe(4);
    expect(state.resources[0]!.provider).toBe(`provider["${AWS}"].primary`);
  });

  test("reads configuration values through nested blocks and literal lists", () => {
    const expressions = { vpc_config: [{ subnet_ids: { constant_value: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"] } }] };
    expect(expressionAt(expressions as never, ["vpc_config", 0, "subnet_ids", 1])).toBe("${aws_subnet.b.id}");
    expect(expressionAt(expressions as never, ["vpc_config", 0, "missing"])).toBeUndefined();
  });
});

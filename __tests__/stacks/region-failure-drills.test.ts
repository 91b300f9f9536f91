import { resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";

const stacks = synthStacks();

const drills = (json: SynthesizedJson) => new Map(resourcesOf(json, "aws_fis_experiment_template").filter((t) => (t.tags as Record<string, string> | undefined)?.drill).map((t) => [(t.tags as Record<string, string>).drill!, t]));
const idOf = (json: SynthesizedJson, type: string, match: (b: Block) => boolean) => Object.entries(json.resource[type] ?? {}).find(([, b]) => match(b))![0];

const WRITER_STACKS = ["production-regional-us-east-1", "staging-regional-us-east-1"];
const READER_STACKS = ["production-regional-eu-west-1", "staging-regional-us-west-2"];

describe.each(WRITER_STACKS)("%s (writer region): region-failure drills", (name) => {
  const json = stacks.get(name)!;
  test("has both drills, and only them besides the AZ experiment", () => {
    expect([...drills(json).keys()].sort()).toEqual(["aurora-writer-failover", "regional-ingress-loss"]);
    // Three templates in all: the two drills and the untagged AZ experiment.
    const all = resourcesOf(json, "aws_fis_experiment_template");
    expect(all).toHaveLength(3);
    expect(all.filter((t) => !(t.tags as Record<string, string> | undefined)?.drill)).toHaveLength(1);
  });
});

describe.each(READER_STACKS)("%s (reader region): region-failure drills", (name) => {
  const json = stacks.get(name)!;
  test("has no writer-failover drill: FailoverDBCluster on a global secondary fails, and FIS cannot reach the writer's region", () => {
    expect([...drills(json).keys()]).toEqual(["regional-ingress-loss"]);
    // Nor the role that could fail over the database.
    expect(resourcesOf(json, "aws_iam_role").filter((r) => String(r.name_prefix).startsWith("fis-aurora-writer-failover"))).toEqual([]);
  });

  test("keeps the writer-failover drill's log group, so drill history survives a primary flip", () => {
    expect(resourcesOf(json, "aws_cloudwatch_log_group").map((g) => g.name)).toContain(`/aws/vendedlogs/fis/meridian-${name.replace("-regional", "")}/aurora-writer-failover`);
  });
});

describe.each([...WRITER_STACKS, ...READER_STACKS])("%s: region-failure drills", (name) => {
  const json = stacks.get(name)!;
  const region = name.split("-regional-")[1]!;
  const templates = drills(json);

  test("the ingress drill cuts the region's public subnets and stops on the Aurora replication-lag alarm", () => {
    const ingress = templates.get("regional-ingress-loss")!;
    const lagAlarm = idOf(json, "aws_cloudwatch_metric_alarm", (a) => a.metric_name === "AuroraGlobalDBReplicationLag");
    expect(ingress.stop_condition).toEqual([{ source: "aws:cloudwatch:alarm", value: `\${aws_cloudwatch_metric_alarm.${lagAlarm}.arn}` }]);
    const target = (ingress.target as Block[])[0]!;
    expect(target.resource_type).toBe("aws:ec2:subnet");
    expect(target.resource_arns).toEqual(["a", "b", "c"].map((az) => expect.stringMatching(new RegExp(`^\\$\\{aws_subnet\\.network_public-${region}${az}_[0-9A-F]+\\.arn\\}$`))));
  });

  test("the writer-failover drill, where it exists, targets this region's member cluster and stops when ingress has no healthy target", () => {
    const failover = templates.get("aurora-writer-failover");
    if (!failover) {
      expect(READER_STACKS).toContain(name);
      return;
    }
    const ingressAlarm = idOf(json, "aws_cloudwatch_metric_alarm", (a) => a.metric_name === "HealthyHostCount");
    expect(failover.stop_condition).toEqual([{ source: "aws:cloudwatch:alarm", value: `\${aws_cloudwatch_metric_alarm.${ingressAlarm}.arn}` }]);
    expect(JSON.stringify(failover.target)).toContain(`:rds:${region}:`);
    expect(JSON.stringify(failover.target)).toContain(`cluster:meridian-${name.split("-")[0]}-${region}`);
  });
});

test("an environment without a database gets no region-failure drills (nothing to fail over, no lag alarm to stop on)", () => {
  const withoutDatabase = synthStacks(validCatalogue((raw) => delete (raw.environments[0] as { database?: unknown }).database));
  const json = withoutDatabase.get("staging-regional-us-east-1")!;
  expect(drills(json).size).toBe(0);
  // Only the AZ experiment is left.
  expect(resourcesOf(json, "aws_fis_experiment_template")).toHaveLength(1);
});

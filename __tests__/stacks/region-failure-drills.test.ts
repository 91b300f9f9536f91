import { resourcesOf, synthStacks, validCatalogue, type Block, type SynthesizedJson } from "../helpers";

const stacks = synthStacks();

const drills = (json: SynthesizedJson) => new Map(resourcesOf(json, "aws_fis_experiment_template").filter((t) => (t.tags as Record<string, string> | undefined)?.drill).map((t) => [(t.tags as Record<string, string>).drill!, t]));
const idOf = (json: SynthesizedJson, type: string, match: (b: Block) => boolean) => Object.entries(json.resource[type] ?? {}).find(([, b]) => match(b))![0];

describe.each(["production-regional-us-east-1", "production-regional-eu-west-1", "staging-regional-us-west-2"])("%s: region-failure drills", (name) => {
  const json = stacks.get(name)!;
  const region = name.split("-regional-")[1]!;
  const templates = drills(json);

  test("has both drills, and only them besides the AZ experiment", () => {
    expect([...templates.keys()].sort()).toEqual(["aurora-writer-failover", "regional-ingress-loss"]);
    // Three templates in all: the two drills and the untagged AZ experiment.
    const all = resourcesOf(json, "aws_fis_experiment_template");
    expect(all).toHaveLength(3);
    expect(all.filter((t) => !(t.tags as Record<string, string> | undefined)?.drill)).toHaveLength(1);
  });

  test("the ingress drill cuts the region's public subnets and stops on the Aurora replication-lag alarm", () => {
    const ingress = templates.get("regional-ingress-loss")!;
    const lagAlarm = idOf(json, "aws_cloudwatch_metric_alarm", (a) => a.metric_name === "AuroraGlobalDBReplicationLag");
    expect(ingress.stop_condition).toEqual([{ source: "aws:cloudwatch:alarm", value: `\${aws_cloudwatch_metric_alarm.${lagAlarm}.arn}` }]);
    const target = (ingress.target as Block[])[0]!;
    expect(target.resource_type).toBe("aws:ec2:subnet");
    expect(target.resource_arns).toEqual(["a", "b", "c"].map((az) => expect.stringMatching(new RegExp(`^\\$\\{aws_subnet\\.network_public-${region}${az}_[0-9A-F]+\\.arn\\}$`))));
  });

  test("the writer-failover drill targets this region's member cluster and stops when ingress has no healthy target", () => {
    const failover = templates.get("aurora-writer-failover")!;
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

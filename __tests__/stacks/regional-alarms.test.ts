import { resourcesOf, synthStacks } from "../helpers";

// GIVEN the built-in catalogue, synthesized
const stacks = synthStacks();
const regionalStacks = [...stacks.keys()].filter((name) => name.includes("-regional-"));

describe.each(regionalStacks)("%s: alarms page the region's alert topic", (name) => {
  const json = stacks.get(name)!;
  const [topicId] = Object.keys(json.resource.aws_sns_topic!);
  const topicArn = `\${aws_sns_topic.${topicId}.arn}`;

  test("every CloudWatch alarm notifies the alert topic when it fires and when it clears", () => {
    // WHEN the stack's alarms are read
    const alarms = resourcesOf(json, "aws_cloudwatch_metric_alarm");
    // THEN there is at least the ingress alarm, and each has the topic as alarm and OK action
    expect(alarms.length).toBeGreaterThanOrEqual(1);
    for (const alarm of alarms) {
      expect({ alarm: alarm.alarm_name, alarmActions: alarm.alarm_actions, okActions: alarm.ok_actions }).toEqual({ alarm: alarm.alarm_name, alarmActions: [topicArn], okActions: [topicArn] });
    }
  });

  test("the ingress no-healthy-targets alarm and, with a database, the replication-lag alarm are among them", () => {
    const metrics = resourcesOf(json, "aws_cloudwatch_metric_alarm").map((a) => a.metric_name);
    expect(metrics).toContain("HealthyHostCount");
    if (json.resource.aws_rds_cluster) {
      expect(metrics).toContain("AuroraGlobalDBReplicationLag");
    }
  });
});

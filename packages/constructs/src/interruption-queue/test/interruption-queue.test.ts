import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { awsStack, onlyResourceOf, policyStatements, resourcesOf, synthJson } from "../../../test-support/fixture";
import { INTERRUPTION_EVENTS, InterruptionQueue, interruptionEventsFor, type InterruptionEvent, type InterruptionQueueProps } from "..";
import { InterruptionQueueExample } from "./usage";

/** GIVEN a stack with an AWS provider WHEN the queue is built with `props` THEN the stack's JSON. */
function synthQueue(props: Partial<InterruptionQueueProps> = {}) {
  const { stack } = awsStack("us-east-1");
  new InterruptionQueue(stack, "queue", { queueName: "c-interruption", ...props });
  return synthJson(stack);
}
const detailTypes = (json: ReturnType<typeof synthQueue>) => resourcesOf(json, "aws_cloudwatch_event_rule").map((r) => JSON.parse(String(r.event_pattern))["detail-type"][0] as string);

describe("InterruptionQueue", () => {
  test("an encrypted queue keeping notices five minutes, sent to by EventBridge only, over TLS only", () => {
    const json = synthQueue();
    expect(onlyResourceOf(json, "aws_sqs_queue")).toMatchObject({ name: "c-interruption", message_retention_seconds: 300, sqs_managed_sse_enabled: true });
    const statements = policyStatements(json, "queue-policy-document");
    expect(statements.map((s) => [s.sid, s.effect])).toEqual([["EventBridgeDelivers", "Allow"], ["DenyInsecureTransport", "Deny"]]);
    expect(statements[1]!.condition).toEqual([{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }]);
  });

  test("by default every event of INTERRUPTION_EVENTS has a rule targeting the queue", () => {
    const json = synthQueue();
    expect(detailTypes(json).sort()).toEqual(Object.values(INTERRUPTION_EVENTS).map((p) => p["detail-type"][0]).sort());
    resourcesOf(json, "aws_cloudwatch_event_target").forEach((t) => expect(t.arn).toMatch(/^\$\{aws_sqs_queue\./));
    expect(resourcesOf(json, "aws_cloudwatch_event_rule").map((r) => r.name)).toContain("c-interruption-spot-interruption");
  });

  test("events: only those; interruptionEventsFor gives Karpenter all four and Cluster Autoscaler's handler the scheduled changes only", () => {
    expect(detailTypes(synthQueue({ events: interruptionEventsFor("cluster-autoscaler") }))).toEqual(["AWS Health Event"]);
    expect(interruptionEventsFor("karpenter")).toEqual(["spot-interruption", "rebalance-recommendation", "instance-state-change", "scheduled-change"]);
  });

  test("provider places every resource with that provider", () => {
    const { stack } = awsStack("us-east-1");
    const other = new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
    new InterruptionQueue(stack, "queue", { queueName: "q", provider: other });
    Object.values(synthJson(stack).resource).forEach((blocks) => Object.values(blocks).forEach((b) => expect(b.provider).toBe("aws.other")));
  });

  test("refuses no events, a repeated event, and an unknown event", () => {
    expect(() => synthQueue({ events: [] })).toThrow('InterruptionQueue "c-interruption": events = [] must name at least one event, each once');
    expect(() => synthQueue({ events: ["scheduled-change", "scheduled-change"] })).toThrow("must name at least one event, each once");
    expect(() => synthQueue({ events: ["spot" as InterruptionEvent] })).toThrow('InterruptionQueue "c-interruption": events = ["spot"] names "spot", which is not one of');
  });
});

test("the README's usage example synthesizes (snapshot)", () => {
  expect(synthJson(new InterruptionQueueExample(Testing.app(), "example"))).toMatchSnapshot();
});

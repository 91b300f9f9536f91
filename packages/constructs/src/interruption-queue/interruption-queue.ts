import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/** The EC2 and AWS Health events that announce a node is about to go away. */
export const INTERRUPTION_EVENTS = {
  "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  "rebalance-recommendation": { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  "instance-state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
  "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
} as const;

/** One of the events in {@link INTERRUPTION_EVENTS}. */
export type InterruptionEvent = keyof typeof INTERRUPTION_EVENTS;

/**
 * The events each node autoscaler's interruption handler needs.
 * - Karpenter drains and replaces its own nodes on all four (its interruption handling reads them
 *   all from one queue).
 * - Under Cluster Autoscaler every node is in an EKS managed node group, and EKS already handles
 *   spot interruptions and rebalance recommendations (Capacity Rebalancing: it launches a
 *   replacement, then drains) and drains nodes on every termination it makes. The Node
 *   Termination Handler's own README says managed node groups do not need it; a second drain on
 *   the same notices would race EKS's replace-then-drain. What EKS does not handle is AWS Health
 *   scheduled changes (instance retirement, maintenance reboots), so the handler gets only those.
 */
export const INTERRUPTION_EVENTS_BY_AUTOSCALER: Readonly<Record<"karpenter" | "cluster-autoscaler", readonly InterruptionEvent[]>> = {
  karpenter: ["spot-interruption", "rebalance-recommendation", "instance-state-change", "scheduled-change"],
  "cluster-autoscaler": ["scheduled-change"],
};

/** The events the queue forwards for a cluster's autoscaler. */
export function interruptionEventsFor(autoscaler: "karpenter" | "cluster-autoscaler"): readonly InterruptionEvent[] {
  return INTERRUPTION_EVENTS_BY_AUTOSCALER[autoscaler];
}

export interface InterruptionQueueProps {
  /** Queue name, e.g. `<cluster>-interruption`. */
  readonly queueName: string;
  /** Events forwarded to the queue. @default every event of INTERRUPTION_EVENTS */
  readonly events?: readonly InterruptionEvent[];
  /** The AWS provider (region and account) the resources are created with. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * An SQS queue fed by EventBridge with every event that announces the loss of an instance, so
 * the interruption handler (Karpenter, or the Node Termination Handler in queue mode) can drain
 * a node before it disappears. Exactly one handler may consume it: SQS hands each message to one
 * reader, so two readers would each miss half the interruptions.
 */
export class InterruptionQueue extends Construct {
  /** The `aws_sqs_queue`; its handler reads `name` (or `url`) and gets `arn` in its policy. */
  readonly queue: SqsQueue;
  /** One EventBridge rule per forwarded event, in the order of `events`. */
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    const events = props.events ?? (Object.keys(INTERRUPTION_EVENTS) as InterruptionEvent[]);
    const unknown = events.find((event) => !(event in INTERRUPTION_EVENTS));
    if (unknown !== undefined) {
      throw new Error(`InterruptionQueue "${props.queueName}": events = ${JSON.stringify(events)} names ${JSON.stringify(unknown)}, which is not one of ${Object.keys(INTERRUPTION_EVENTS).join(", ")}`);
    }
    if (events.length === 0 || new Set(events).size !== events.length) {
      throw new Error(`InterruptionQueue "${props.queueName}": events = ${JSON.stringify(events)} must name at least one event, each once`);
    }
    const provider = props.provider;
    this.queue = new SqsQueue(this, "queue", {
      provider,
      name: props.queueName,
      // Interruption notices are useless after a few minutes; keep five.
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    const policy = new DataAwsIamPolicyDocument(this, "queue-policy-document", {
      provider,
      statement: [
        {
          sid: "EventBridgeDelivers",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com", "sqs.amazonaws.com"] }],
          actions: ["sqs:SendMessage"],
          resources: [this.queue.arn],
        },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sqs:*"],
          resources: [this.queue.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new SqsQueuePolicy(this, "queue-policy", { provider, queueUrl: this.queue.url, policy: policy.json });

    for (const name of events) {
      const pattern = INTERRUPTION_EVENTS[name];
      const rule = new CloudwatchEventRule(this, `${name}-rule`, {
        provider,
        name: `${props.queueName}-${name}`.slice(0, 64),
        description: `Forwards ${pattern["detail-type"][0]} events to ${props.queueName}`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `${name}-target`, { provider, rule: rule.name, targetId: "interruption-queue", arn: this.queue.arn });
      this.rules.push(rule);
    }
  }
}

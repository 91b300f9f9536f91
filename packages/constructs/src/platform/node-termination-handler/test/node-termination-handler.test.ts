import type { INodeSelectorRequirement } from "kubernetes-models/v1/NodeSelectorRequirement";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Testing, type TerraformStack } from "cdktf";
import { parse } from "yaml";
import { type Block, emptyStack, resourcesOf, type SynthesizedJson, synthJson } from "../../../../test-support/fixture";
import { validateManifest, type Manifest } from "../../../../test-support/manifests";
import { NODE_TERMINATION_HANDLER_CHART, NodeTerminationHandler, interruptionQueueUrl, type NodeTerminationHandlerProps } from "..";
import { NodeTerminationHandlerExample } from "./usage";

const CLUSTER = "meridian-staging-us-east-1";
const SYSTEM_AFFINITY: INodeSelectorRequirement[] = [{ key: "node.meridian.io/class", operator: "In", values: ["system"] }];
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/222222222222/meridian-staging-us-east-1-interruption";

const nthProps = (overrides: Partial<NodeTerminationHandlerProps> = {}): NodeTerminationHandlerProps => ({
  clusterName: CLUSTER,
  region: "us-east-1",
  queueUrl: QUEUE_URL,
  roleArn: `arn:aws:iam::222222222222:role/${CLUSTER}-node-termination-handler`,
  nodeAffinity: SYSTEM_AFFINITY,
  ...overrides,
});

function synth(build: (stack: TerraformStack) => void): SynthesizedJson {
  const stack = emptyStack();
  new HelmProvider(stack, "helm", {});
  build(stack);
  return synthJson(stack);
}
const onlyRelease = (json: SynthesizedJson): Block => {
  const releases = resourcesOf(json, "helm_release");
  expect(releases).toHaveLength(1);
  return releases[0]!;
};
const valuesOf = (release: Block) => parse((release.values as string[])[0]!) as Record<string, unknown>;

/** The scheduling fragments of a chart's values, inside a Pod, so the Kubernetes schema checks every field. */
function podFrom(values: Record<string, unknown>): Manifest {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "probe", namespace: "kube-system" },
    spec: {
      containers: [{ name: "probe", image: "probe", resources: values.resources }],
      affinity: values.affinity,
      topologySpreadConstraints: values.topologySpreadConstraints,
      tolerations: values.tolerations,
      priorityClassName: values.priorityClassName,
    },
  };
}

describe("NodeTerminationHandler (queue mode)", () => {
  const release = onlyRelease(synth((stack) => new NodeTerminationHandler(stack, "nth", nthProps())));
  const values = valuesOf(release);

  test("installs the pinned chart in kube-system with the IRSA role on its service account", () => {
    expect(release).toMatchObject({ ...NODE_TERMINATION_HANDLER_CHART, namespace: "kube-system" });
    expect(values.serviceAccount).toEqual({
      create: true,
      name: "aws-node-termination-handler",
      annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::222222222222:role/${CLUSTER}-node-termination-handler` },
    });
  });

  test("processes the interruption queue (a Deployment, not the IMDS DaemonSet) in the cluster's region", () => {
    expect(values).toMatchObject({ enableSqsTerminationDraining: true, queueURL: QUEUE_URL, awsRegion: "us-east-1" });
  });

  test("drains only instances of this cluster's Auto Scaling groups", () => {
    expect(values).toMatchObject({ checkTagBeforeDraining: true, managedTag: `k8s.io/cluster-autoscaler/${CLUSTER}`, deleteSqsMsgIfNodeNotFound: true });
  });

  test("2 replicas with a disruption budget and zone spread, on the system nodes", () => {
    expect(values).toMatchObject({ replicas: 2, podDisruptionBudget: { maxUnavailable: 1 }, priorityClassName: "system-cluster-critical" });
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(() => validateManifest(podFrom(values))).not.toThrow();
  });

  test("builds a queue URL from region, account and name", () => {
    expect(interruptionQueueUrl("us-east-1", "222222222222", "meridian-staging-us-east-1-interruption")).toBe(QUEUE_URL);
  });
});

describe("NodeTerminationHandler bad props", () => {
  const fails = (overrides: Partial<NodeTerminationHandlerProps>, message: string | RegExp) =>
    expect(() => new NodeTerminationHandler(emptyStack(), "nth", nthProps(overrides))).toThrow(message);

  test("throws when the queue is given by name or ARN instead of URL", () => {
    fails({ queueUrl: "meridian-staging-us-east-1-interruption" }, `NodeTerminationHandler ${CLUSTER}: queueUrl "meridian-staging-us-east-1-interruption" must be an SQS queue URL`);
    fails({ queueUrl: "arn:aws:sqs:us-east-1:222222222222:q" }, /queueUrl "arn:aws:sqs:us-east-1:222222222222:q" must be an SQS queue URL/);
  });

  test("throws when the queue is in another region", () => {
    fails({ queueUrl: "https://sqs.us-west-2.amazonaws.com/222222222222/q" }, "must be a queue in the cluster's region us-east-1");
  });

  test("throws when it could run on any node", () => {
    fails({ nodeAffinity: [] }, "nodeAffinity [] must place the handler on the system nodes");
  });

  test("throws when running a single replica", () => {
    fails({ replicas: 1 }, "highAvailability aws-node-termination-handler: replicas 1 must be an integer >= 2");
  });
});

describe("NodeTerminationHandler with explicit props", () => {
  test("replicas and tolerations are rendered as given", () => {
    const values = valuesOf(onlyRelease(synth((stack) => new NodeTerminationHandler(stack, "nth", nthProps({ replicas: 3, tolerations: [{ key: "dedicated", operator: "Exists" }] })))));
    expect(values.replicas).toBe(3);
    expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }, { key: "dedicated", operator: "Exists" }]);
  });

  test("chart replaces the pin; values are deep-merged over the construct's", () => {
    const chart = { repository: "oci://registry.example.com/helm", chart: "aws-node-termination-handler", version: "9.9.9" };
    const release = onlyRelease(synth((stack) => new NodeTerminationHandler(stack, "nth", nthProps({ chart, values: { serviceAccount: { labels: { team: "a" } }, logLevel: "debug" } }))));
    expect(release).toMatchObject(chart);
    expect(valuesOf(release)).toMatchObject({ serviceAccount: { name: "aws-node-termination-handler", labels: { team: "a" } }, logLevel: "debug" });
  });

  test("throws when the role is not a role ARN", () => {
    expect(() => new NodeTerminationHandler(emptyStack(), "nth", nthProps({ roleArn: "nth" }))).toThrow(`NodeTerminationHandler ${CLUSTER}: roleArn "nth" must be an IAM role ARN`);
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new NodeTerminationHandlerExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});

import { KUBERNETES_VERSION, NODE_AMI_RELEASE } from "../../src/config/catalogue";
import { REPLACEMENT_ARGUMENTS } from "../../src/verification/replacement-attributes";
import { diffStacks, resourcesOf, synthStacks, validCatalogue } from "../helpers";

/**
 * A Kubernetes minor upgrade is a catalogue change: kubernetesVersion, the add-on builds of the new
 * minor, and the AMI release of the new minor. The managed node groups must follow the control
 * plane in place (a rolling update), never be replaced or left on the old version.
 */

// GIVEN the built-in catalogue with staging one minor back (1.34), and the built-in catalogue (1.35)
const before = synthStacks(
  validCatalogue((raw) => {
    const staging = raw.environments.find((env) => env.name === "staging")!;
    staging.kubernetesVersion = "1.34";
    staging.cluster.addonVersions = { ...staging.cluster.addonVersions, kubeProxy: "v1.34.6-eksbuild.2" };
    staging.nodeAmiReleaseVersions = { AL2023_x86_64_STANDARD: "1.34.9-20260714", AL2023_x86_64_NVIDIA: "1.34.9-20260714" };
  }),
);
const after = synthStacks();
const regionalStacks = [...before.keys()].filter((name) => name.startsWith("staging-regional-"));

describe("a Kubernetes minor upgrade", () => {
  test("covers both of staging's regional stacks", () => {
    expect(regionalStacks.sort()).toEqual(["staging-regional-us-east-1", "staging-regional-us-west-2"]);
  });

  test.each(regionalStacks)("%s: every node group moves to the new version and AMI release", (name) => {
    // WHEN the stack is synthesized after the change
    const groups = resourcesOf(after.get(name)!, "aws_eks_node_group");

    // THEN every group names the new minor and its AMI release
    expect(groups.length).toBeGreaterThan(0);
    groups.forEach((group) => expect(group).toMatchObject({ version: KUBERNETES_VERSION, release_version: NODE_AMI_RELEASE }));
  });

  test.each(regionalStacks)("%s: the node groups change in place (version and release_version only), nothing is replaced", (name) => {
    // WHEN the stack before and after are compared argument by argument
    const changes = diffStacks(before.get(name)!, after.get(name)!);
    const nodeGroupChanges = changes.filter((change) => change.startsWith("resource.aws_eks_node_group."));

    // THEN the node groups keep their addresses and change only arguments EKS updates in place
    expect(nodeGroupChanges.length).toBeGreaterThan(0);
    const changedArguments = new Set(nodeGroupChanges.map((change) => change.split(".").pop()!));
    expect([...changedArguments].sort()).toEqual(["release_version", "version"]);
    expect([...changedArguments].filter((argument) => REPLACEMENT_ARGUMENTS.aws_eks_node_group!.includes(argument))).toEqual([]);
    // The launch templates (whose id a group cannot change in place) are untouched.
    expect(changes.filter((change) => change.startsWith("resource.aws_launch_template."))).toEqual([]);
  });

  test("production, which was not raised, does not change", () => {
    for (const name of [...before.keys()].filter((stack) => stack.startsWith("production-"))) {
      expect({ name, changes: diffStacks(before.get(name)!, after.get(name)!) }).toEqual({ name, changes: [] });
    }
  });
});

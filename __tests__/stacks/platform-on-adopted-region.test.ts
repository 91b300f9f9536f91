import { App, Testing } from "cdktf";
import { EksCluster, OBSERVABILITY_WORKLOADS, type ObservabilityWorkloadName } from "@meridian/constructs";
import { PlatformStack } from "../../stacks/platform-stack";
import type { RegionalHandles } from "../../stacks/regional-stack";
import { resourcesOf, validCatalogue, type Block, type SynthesizedJson } from "../helpers";

// GIVEN a region whose AWS side another state owns: its handles are literals, no RegionalStack.
const ACCOUNT = "111122223333";
const ENDPOINT = "https://ADOPTED0123456789.gr7.us-west-2.eks.amazonaws.com";
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/adopted-${name}`;

const catalogue = validCatalogue();
const staging = catalogue.environments.find((e) => e.name === "staging")!;
const region = staging.regions.find((r) => r.region === "us-west-2")!;

function adoptedRegion(app: App): RegionalHandles {
  const cluster = EksCluster.fromClusterAttributes(app, "adopted-cluster", {
    clusterName: "meridian-staging-us-west-2",
    kubernetesVersion: staging.kubernetesVersion,
    endpoint: ENDPOINT,
    certificateAuthorityData: "QURPUFRFRC1DQQ==",
    clusterSecurityGroupId: "sg-0a1b2c3d4e5f60002",
    oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ADOPTED0123456789`,
    oidcIssuerUrl: "https://oidc.eks.us-west-2.amazonaws.com/id/ADOPTED0123456789",
  });
  return {
    stackName: "adopted-us-west-2",
    region: region.region,
    cluster,
    volumeKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:key/00000000-0000-0000-0000-0000000000ad`,
    vpcId: "vpc-0a1b2c3d4e5f60001",
    privateRouteTableIds: ["rtb-0a1b2c3d4e5f60003"],
    ingressTargetGroupArn: `arn:aws:elasticloadbalancing:us-west-2:${ACCOUNT}:targetgroup/adopted/0123456789abcdef`,
    fileSystemId: "fs-0a1b2c3d4e5f60004",
    interruptionQueueName: "adopted-interruptions",
    interruptionQueueUrl: `https://sqs.us-west-2.amazonaws.com/${ACCOUNT}/adopted-interruptions`,
    controllerRoles: {
      loadBalancerController: { arn: roleArn("lbc") },
      externalDns: { arn: roleArn("external-dns") },
      clusterAutoscaler: { arn: roleArn("cluster-autoscaler") },
      nodeTerminationHandler: { arn: roleArn("nth") },
    },
    observability: {
      remoteWriteUrl: "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-adopted/api/v1/remote_write",
      workloadLogGroupName: "/aws/eks/meridian-staging-us-west-2/workloads",
      roleArns: Object.fromEntries((Object.keys(OBSERVABILITY_WORKLOADS) as ObservabilityWorkloadName[]).map((name) => [name, roleArn(name)])) as Record<ObservabilityWorkloadName, string>,
    },
  };
}

describe("a platform stack built on an adopted region's handles", () => {
  // WHEN the platform stack is built on those handles alone
  const app = new App();
  const platform = new PlatformStack(app, { catalogue, environment: staging, region, regional: adoptedRegion(app) });
  const json = JSON.parse(Testing.synth(platform)) as SynthesizedJson;
  const release = (name: string): Block => resourcesOf(json, "helm_release").find((r) => r.name === name)!;
  const values = (name: string): string => (release(name).values as string[]).join("\n");

  // THEN everything it needs of the region comes from the handles, and nothing from another stack
  test("both providers reach the adopted cluster's endpoint", () => {
    expect((json.provider as Record<string, Block[]>).kubernetes![0]).toMatchObject({ host: ENDPOINT });
    expect(JSON.stringify((json.provider as Record<string, Block[]>).helm![0])).toContain(ENDPOINT);
  });

  test("the charts take the handles' roles, queue, VPC, target group and file system", () => {
    expect(values("aws-load-balancer-controller")).toContain(roleArn("lbc"));
    expect(values("aws-load-balancer-controller")).toContain("vpc-0a1b2c3d4e5f60001");
    expect(values("cluster-autoscaler")).toContain(roleArn("cluster-autoscaler"));
    expect(values("aws-node-termination-handler")).toContain("adopted-interruptions");
    expect(JSON.stringify(json)).toContain("fs-0a1b2c3d4e5f60004");
    expect(JSON.stringify(json)).toContain("targetgroup/adopted/0123456789abcdef");
  });

  test("it reads no other stack's state", () => {
    expect(json.data?.terraform_remote_state).toBeUndefined();
  });
});

import { Testing, TerraformStack, type App } from "cdktf";
import { RegionalIngress, type RegionalIngressProps } from "@meridian/constructs";

// The node group, cluster, IRSA and EFS refusals moved to the library's eks-cluster and shared-file-system tests.
const stack = () => new TerraformStack(Testing.app() as App, "test");

const ingressProps: RegionalIngressProps = {
  name: "test",
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-a", "subnet-b"],
  targetSecurityGroupId: "sg-1",
  listenerPort: 443,
  targetPort: 8443,
  protocol: "TCP",
  healthCheckPath: "/healthz",
};
const ingress = (overrides: Partial<RegionalIngressProps>) => () => new RegionalIngress(stack(), "ingress", { ...ingressProps, ...overrides });

describe("the regional ingress rejects bad settings", () => {
  test("throws when a TLS listener has no certificate", () => {
    expect(ingress({ protocol: "TLS" })).toThrow("RegionalIngress test: certificateArn undefined is required for a TLS listener");
  });
  test("throws when a port is out of range", () => {
    expect(ingress({ targetPort: 70000 })).toThrow("targetPort 70000 must be a port 1-65535");
  });
  test("throws when the NLB name is longer than ELB allows", () => {
    expect(ingress({ name: "x".repeat(33) })).toThrow("must be 1-32 letters");
  });
});

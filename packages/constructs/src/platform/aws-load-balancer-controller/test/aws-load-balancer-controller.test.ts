import { TerraformVariable, Testing, type TerraformStack } from "cdktf";
import { parse } from "yaml";
import { type Block, emptyStack, resourcesOf, synthJson } from "../../../../test-support/fixture";
import { helmRelease, helmStack, helmValues } from "../../../../test-support/helm";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART, AwsLoadBalancerController, TargetGroupBinding, TargetGroupBindingSchema, validateTargetGroupBinding, type AwsLoadBalancerControllerProps } from "..";
import { AwsLoadBalancerControllerExample } from "./usage";

const stack = () => emptyStack();
const synth = (s: TerraformStack) => synthJson(s);
const valuesOf = (release: Block) => parse((release.values as string[])[0]!) as Record<string, unknown>;

const TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/meridian-staging-use1-pods/0123456789abcdef";

const controllerProps: AwsLoadBalancerControllerProps = {
  clusterName: "meridian-staging-us-east-1",
  region: "us-east-1",
  vpcId: "vpc-0123456789abcdef0",
  roleArn: "arn:aws:iam::222222222222:role/meridian-staging-us-east-1-load-balancer-controller",
};

describe("AwsLoadBalancerController", () => {
  test.each([
    ["clusterName", "-bad", "must be an EKS cluster name"],
    ["region", "useast1", "must be an AWS region name such as us-east-1"],
    ["vpcId", "subnet-0123456789abcdef0", "must be a VPC id"],
    ["roleArn", "arn:aws:iam::222222222222:user/lbc", "must be an IAM role ARN"],
  ] as const)("throws when %s is %j", (setting, value, rule) => {
    const props = { ...controllerProps, [setting]: value };
    expect(() => new AwsLoadBalancerController(stack(), "lbc", props)).toThrow(`AwsLoadBalancerController ${props.clusterName}: ${setting} ${JSON.stringify(value)} ${rule}`);
  });

  test("throws when replicas is 1 (a single controller stalls target registration during its restart)", () => {
    expect(() => new AwsLoadBalancerController(stack(), "lbc", { ...controllerProps, replicas: 1 })).toThrow("highAvailability aws-load-balancer-controller: replicas 1 must be an integer >= 2");
  });

  test("accepts Terraform references for the VPC and the role", () => {
    // GIVEN a VPC id and role ARN only known at apply time
    const scope = stack();
    const vpc = new TerraformVariable(scope, "vpc", { type: "string" });
    const role = new TerraformVariable(scope, "role", { type: "string" });

    // WHEN the controller is synthesized
    new AwsLoadBalancerController(scope, "lbc", { ...controllerProps, vpcId: vpc.stringValue, roleArn: role.stringValue });
    const values = valuesOf(resourcesOf(synth(scope), "helm_release")[0]!);

    // THEN the references land in the values unchanged
    expect(values.vpcId).toBe("${var.vpc}");
    expect(values.serviceAccount).toEqual({ create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": "${var.role}" } });
  });
});

describe("TargetGroupBinding", () => {
  const binding = {
    apiVersion: "elbv2.k8s.aws/v1beta1",
    kind: "TargetGroupBinding",
    metadata: { name: "ingress-gateway", namespace: "ingress" },
    spec: { targetGroupARN: TARGET_GROUP_ARN, targetType: "ip", serviceRef: { name: "ingress-gateway", port: 8443 } },
  };

  test("the schema accepts a complete binding", () => {
    expect(() => validateTargetGroupBinding(binding)).not.toThrow();
    expect(TargetGroupBindingSchema.safeParse(binding).success).toBe(true);
  });

  test.each([
    ["a misspelt spec field (targetGroupArn)", { ...binding, spec: { ...binding.spec, targetGroupARN: undefined, targetGroupArn: TARGET_GROUP_ARN } }, /spec: Unrecognized key: "targetGroupArn"/],
    ["a misspelt serviceRef field (prot)", { ...binding, spec: { ...binding.spec, serviceRef: { name: "ingress-gateway", prot: 8443 } } }, /spec\.serviceRef/],
    ["an unknown target type", { ...binding, spec: { ...binding.spec, targetType: "alb" } }, /spec\.targetType/],
    ["no serviceRef", { ...binding, spec: { targetGroupARN: TARGET_GROUP_ARN } }, /spec\.serviceRef/],
    ["neither a target group ARN nor a name", { ...binding, spec: { serviceRef: { name: "ingress-gateway", port: 8443 } } }, /needs exactly one of targetGroupARN and targetGroupName/],
    ["a load balancer ARN as target group ARN", { ...binding, spec: { ...binding.spec, targetGroupARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/0123" } }, /must be an ELBv2 target group ARN/],
    ["the wrong API version", { ...binding, apiVersion: "elbv2.k8s.aws/v1" }, /apiVersion/],
  ])("the schema throws on %s, naming the object", (_what, manifest, message) => {
    expect(() => validateTargetGroupBinding(manifest)).toThrow(/^TargetGroupBinding ingress\/ingress-gateway: /);
    expect(() => validateTargetGroupBinding(manifest)).toThrow(message);
  });

  test("throws when it does not depend on the controller", () => {
    expect(() => new TargetGroupBinding(stack(), "tgb", { targetGroupArn: TARGET_GROUP_ARN, service: { namespace: "ingress", name: "ingress-gateway", port: 8443 }, dependsOn: [] })).toThrow(
      "TargetGroupBinding ingress/ingress-gateway: dependsOn [] must name the load balancer controller's release",
    );
  });

  test("throws when the service port is out of range", () => {
    const scope = stack();
    const lbc = new AwsLoadBalancerController(scope, "lbc", controllerProps);
    expect(() => lbc.bindTargetGroup("tgb", { targetGroupArn: TARGET_GROUP_ARN, service: { namespace: "ingress", name: "ingress-gateway", port: 70000 } })).toThrow(
      "TargetGroupBinding ingress/ingress-gateway: service.port 70000 must be a port 1-65535 or a port name",
    );
  });

  test("throws when the namespace is not a DNS label (schema)", () => {
    const scope = stack();
    const lbc = new AwsLoadBalancerController(scope, "lbc", controllerProps);
    expect(() => lbc.bindTargetGroup("tgb", { targetGroupArn: TARGET_GROUP_ARN, service: { namespace: "Ingress", name: "ingress-gateway", port: 8443 } })).toThrow(/metadata\.namespace: must be a DNS label/);
  });

  test("networking rules for security groups when asked, valid against the schema", () => {
    // GIVEN a binding that should open the targets to the NLB's security group
    const scope = stack();
    const lbc = new AwsLoadBalancerController(scope, "lbc", controllerProps);

    // WHEN it is built
    const tgb = lbc.bindTargetGroup("tgb", {
      targetGroupArn: TARGET_GROUP_ARN,
      service: { namespace: "ingress", name: "ingress-gateway", port: 8443 },
      allowFromSecurityGroups: { groupIds: ["sg-0123456789abcdef0"], port: 8443 },
    });

    // THEN the binding admits that group on the port, and still passes the schema
    expect(tgb.manifest.spec.networking).toEqual({ ingress: [{ from: [{ securityGroup: { groupID: "sg-0123456789abcdef0" } }], ports: [{ protocol: "TCP", port: 8443 }] }] });
    expect(() => validateTargetGroupBinding(tgb.manifest)).not.toThrow();
  });

  test("the binding's release depends on the controller's release and lives in the Service's namespace", () => {
    const scope = stack();
    const lbc = new AwsLoadBalancerController(scope, "lbc", controllerProps);
    lbc.bindTargetGroup("tgb", { targetGroupArn: TARGET_GROUP_ARN, service: { namespace: "ingress", name: "ingress-gateway", port: 8443 } });
    const releases = resourcesOf(synth(scope), "helm_release");
    const tgb = releases.find((r) => r.name === "ingress-gateway-tgb")!;
    expect(tgb).toMatchObject({ namespace: "ingress", depends_on: [expect.stringMatching(/^helm_release\.lbc_controller_release_[0-9A-F]+$/)] });
  });
});


/** GIVEN a stack with a helm provider WHEN the controller is built with the required props and `overrides` THEN its release and values. */
function synthController(overrides: Partial<AwsLoadBalancerControllerProps> = {}) {
  const scope = helmStack();
  const controller = new AwsLoadBalancerController(scope, "lbc", { ...controllerProps, ...overrides });
  const release = helmRelease(synthJson(scope), "aws-load-balancer-controller");
  return { controller, release, values: helmValues(release) };
}

describe("AwsLoadBalancerController with explicit props", () => {
  test("with the required props: the pinned chart in kube-system, cluster, region and VPC set, the IRSA annotation, 2 replicas with a budget", () => {
    const { release, values } = synthController();
    expect(release).toMatchObject({ ...AWS_LOAD_BALANCER_CONTROLLER_CHART, namespace: "kube-system", create_namespace: false });
    expect(values).toMatchObject({
      clusterName: controllerProps.clusterName,
      region: "us-east-1",
      vpcId: controllerProps.vpcId,
      serviceAccount: { create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": controllerProps.roleArn } },
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      priorityClassName: "system-cluster-critical",
      defaultTargetType: "ip",
      enableServiceMutatorWebhook: false,
    });
  });

  test("replicas and priorityClassName are rendered as given", () => {
    expect(synthController({ replicas: 3, priorityClassName: "platform-critical" }).values).toMatchObject({ replicaCount: 3, priorityClassName: "platform-critical" });
  });

  test("chart replaces the pin; values are deep-merged over the construct's", () => {
    const chart = { repository: "https://charts.example.com", chart: "aws-load-balancer-controller", version: "9.9.9" };
    const { release, values } = synthController({ chart, values: { serviceAccount: { labels: { team: "a" } }, enableServiceMutatorWebhook: true } });
    expect(release).toMatchObject(chart);
    expect(values.serviceAccount).toMatchObject({ name: "aws-load-balancer-controller", labels: { team: "a" } });
    expect(values.enableServiceMutatorWebhook).toBe(true);
  });

  test("release and highAvailability are the release and the settings its values were built from", () => {
    const { controller, values } = synthController();
    expect(controller.release.values).toEqual(values);
    expect(controller.highAvailability.replicas).toBe(values.replicaCount);
  });

  test("the README's usage example synthesizes (snapshot)", () => {
    expect(synthJson(new AwsLoadBalancerControllerExample(Testing.app(), "example"))).toMatchSnapshot();
  });
});

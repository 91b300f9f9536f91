import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Namespace } from "@cdktf/provider-kubernetes/lib/namespace";
import { App, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAwsProviders } from "../../src/providers/aws-providers";

const ownership = { project: "fixture", environment: "test", owner: "tests", accountId: "123456789012", homeRegion: "us-east-1" };

/**
 * A small app exercising what the verification must handle: a producer and a consumer joined by
 * a cross-stack reference (a string and a list), a stack Terraform rejects, and a Kubernetes stack.
 */
export function synthFixtureApp(): string {
  const outdir = mkdtempSync(join(tmpdir(), "offline-fixture-"));
  const app = new App({ outdir });
  const backend = (stack: TerraformStack) =>
    new S3Backend(stack, { bucket: "fixture-state", key: `fixture/${stack.node.id}.tfstate`, region: "us-east-1", dynamodbTable: "locks" });

  const producer = new TerraformStack(app, "producer");
  backend(producer);
  createAwsProviders(producer, ownership);
  const vpc = new Vpc(producer, "vpc", { cidrBlock: "10.0.0.0/16" });
  const subnets = ["a", "b"].map((az, i) => new Subnet(producer, `subnet-${az}`, { vpcId: vpc.id, cidrBlock: `10.0.${i}.0/24`, availabilityZone: `us-east-1${az}` }));
  new TerraformOutput(producer, "subnet_ids", { value: subnets.map((s) => s.id) });
  const nat = new NatGateway(producer, "nat", { subnetId: subnets[0]!.id, connectivityType: "private" });

  const consumer = new TerraformStack(app, "consumer");
  backend(consumer);
  createAwsProviders(consumer, ownership);
  new SecurityGroup(consumer, "group", { name: "fixture", description: "reads the producer's VPC", vpcId: vpc.id });
  new TerraformOutput(consumer, "seen_vpc", { value: vpc.id });
  new TerraformOutput(consumer, "seen_subnets", { value: subnets.map((s) => s.id) });
  // A list-typed attribute crosses the stack boundary as one list output.
  new TerraformOutput(consumer, "seen_nat_addresses", { value: nat.secondaryPrivateIpAddresses });

  const broken = new TerraformStack(app, "broken");
  backend(broken);
  createAwsProviders(broken, ownership);
  new Vpc(broken, "vpc", { cidrBlock: "not-a-cidr" });

  const cluster = new TerraformStack(app, "in-cluster");
  backend(cluster);
  new KubernetesProvider(cluster, "kubernetes", { configPath: "~/.kube/config" });
  new Namespace(cluster, "namespace", { metadata: { name: "fixture" } });

  app.synth();
  return outdir;
}

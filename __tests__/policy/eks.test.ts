import {
  eksControlPlaneLogging,
  eksControlPlaneMultiAz,
  eksEndpointNotPublic,
  eksSecretsEncryption,
  eksVersionSupportedAndUniform,
} from "../../src/policy/rules/eks";
import { fixtureStack, messages, ref, regionalNetwork, tweak, undecided, withResources, type FixtureStack } from "./fixtures";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

const goodCluster = {
  name: "meridian-production-us-east-1",
  version: "1.33",
  enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  encryption_config: { resources: ["secrets"], provider: { key_arn: ref("aws_kms_key.secrets", "arn") } },
  vpc_config: { endpoint_private_access: true, endpoint_public_access: false, subnet_ids: ZONES.map((z) => ref(`aws_subnet.private-${z}`)) },
};
type Cluster = Record<string, unknown> & typeof goodCluster;

/** A regional stack with one cluster, its network and its secrets key. */
function regional(cluster: Record<string, unknown>, name = "production-regional-us-east-1", region = "us-east-1"): FixtureStack {
  return fixtureStack(name, withResources(regionalNetwork(), { aws_eks_cluster: { cluster }, aws_kms_key: { secrets: { enable_key_rotation: true } } }), { region });
}
const changed = (change: (c: Cluster) => void) => regional(tweak(goodCluster as Cluster, change));

describe("eks-control-plane-logging", () => {
  test("flags a cluster that ships only some control-plane log types", () => {
    const stack = changed((c) => (c.enabled_cluster_log_types = ["api", "audit"]));
    expect(messages(eksControlPlaneLogging, stack)).toEqual([
      'aws_eks_cluster.cluster: enabled_cluster_log_types = ["api","audit"]: missing authenticator, controllerManager, scheduler',
    ]);
  });

  test("flags a cluster without enabled_cluster_log_types", () => {
    const stack = changed((c) => delete (c as Record<string, unknown>).enabled_cluster_log_types);
    expect(messages(eksControlPlaneLogging, stack)).toEqual([expect.stringContaining("enabled_cluster_log_types = not set: missing api, audit")]);
  });

  test("passes a cluster that ships all five log types", () => {
    expect(messages(eksControlPlaneLogging, regional(goodCluster))).toEqual([]);
  });
});

describe("eks-secrets-encryption", () => {
  test("flags a cluster without encryption_config", () => {
    const stack = changed((c) => delete (c as Record<string, unknown>).encryption_config);
    expect(messages(eksSecretsEncryption, stack)).toEqual(["aws_eks_cluster.cluster: encryption_config = not set: secrets are not envelope-encrypted"]);
  });

  test("flags secrets encrypted with an AWS managed key", () => {
    const stack = changed((c) => (c.encryption_config.provider.key_arn = "arn:aws:kms:us-east-1:123456789012:alias/aws/eks"));
    expect(messages(eksSecretsEncryption, stack)).toEqual([expect.stringContaining('key_arn = "arn:aws:kms:us-east-1:123456789012:alias/aws/eks": an AWS managed key')]);
  });

  test("passes secrets encrypted with the stack's customer key", () => {
    expect(messages(eksSecretsEncryption, regional(goodCluster))).toEqual([]);
  });

  test("passes (undecided) when the key is known only after apply", () => {
    // GIVEN a key ARN from a variable: nothing in the configuration says which key it is
    const stack = changed((c) => (c.encryption_config.provider.key_arn = "${var.key_arn}"));
    // THEN the rule cannot tell, which is never a failure
    expect(messages(eksSecretsEncryption, stack)).toEqual([]);
    expect(undecided(eksSecretsEncryption, stack)).toEqual(["aws_eks_cluster.cluster: encryption_config.provider.key_arn is known only after apply"]);
  });
});

describe("eks-endpoint-not-public", () => {
  test("flags a public endpoint without public_access_cidrs (EKS opens it to 0.0.0.0/0)", () => {
    const stack = changed((c) => (c.vpc_config.endpoint_public_access = true));
    expect(messages(eksEndpointNotPublic, stack)).toEqual([expect.stringContaining("endpoint_public_access = true with public_access_cidrs not set")]);
  });

  test("flags a public endpoint whose public_access_cidrs is an empty list (the provider sends nothing; EKS opens it to 0.0.0.0/0)", () => {
    const stack = changed((c) => Object.assign(c.vpc_config, { endpoint_public_access: true, public_access_cidrs: [] }));
    expect(messages(eksEndpointNotPublic, stack)).toEqual([expect.stringContaining("endpoint_public_access = true with public_access_cidrs = []: EKS opens the endpoint to 0.0.0.0/0")]);
  });

  test("flags an endpoint left at the provider default (public) without CIDRs", () => {
    const stack = changed((c) => delete (c.vpc_config as Record<string, unknown>).endpoint_public_access);
    expect(messages(eksEndpointNotPublic, stack)).toHaveLength(1);
  });

  test("flags a public endpoint open to 0.0.0.0/0", () => {
    const stack = changed((c) => Object.assign(c.vpc_config, { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24", "0.0.0.0/0"] }));
    expect(messages(eksEndpointNotPublic, stack)).toEqual([
      'aws_eks_cluster.cluster: vpc_config.public_access_cidrs = ["203.0.113.0/24","0.0.0.0/0"]: the public endpoint is open to 0.0.0.0/0',
    ]);
  });

  test("passes a private endpoint", () => {
    expect(messages(eksEndpointNotPublic, regional(goodCluster))).toEqual([]);
  });

  test("passes a public endpoint limited to listed CIDRs", () => {
    const stack = changed((c) => Object.assign(c.vpc_config, { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }));
    expect(messages(eksEndpointNotPublic, stack)).toEqual([]);
  });
});

describe("eks-version-supported-and-uniform", () => {
  test("flags an unsupported Kubernetes version", () => {
    const stack = changed((c) => (c.version = "1.27"));
    expect(messages(eksVersionSupportedAndUniform, stack)).toEqual([expect.stringContaining('version = "1.27": not a supported version')]);
  });

  test("flags a cluster without a pinned version", () => {
    const stack = changed((c) => delete (c as Record<string, unknown>).version);
    expect(messages(eksVersionSupportedAndUniform, stack)).toEqual([expect.stringContaining("version is not set")]);
  });

  test("flags regions of one environment running different versions (across stacks)", () => {
    // GIVEN production's two regional stacks, one still on 1.32
    const east = regional(goodCluster);
    const west = regional(tweak(goodCluster, (c) => (c.version = "1.32")), "production-regional-eu-west-1", "eu-west-1");
    // THEN both clusters are flagged, each naming the other
    expect(messages(eksVersionSupportedAndUniform, [east, west])).toEqual([
      'aws_eks_cluster.cluster: version = "1.33" but aws_eks_cluster.cluster in production-regional-eu-west-1 runs "1.32": the regions of environment production must run one version',
      'aws_eks_cluster.cluster: version = "1.32" but aws_eks_cluster.cluster in production-regional-us-east-1 runs "1.33": the regions of environment production must run one version',
    ]);
  });

  test("passes one supported version in every region, whatever other environments run", () => {
    const east = regional(goodCluster);
    const west = regional(goodCluster, "production-regional-eu-west-1", "eu-west-1");
    const staging = regional(tweak(goodCluster, (c) => (c.version = "1.34")), "staging-regional-us-east-1");
    expect(messages(eksVersionSupportedAndUniform, [east, west, staging])).toEqual([]);
  });
});

describe("eks-control-plane-multi-az", () => {
  test("flags control-plane subnets in a single AZ", () => {
    const stack = changed((c) => (c.vpc_config.subnet_ids = [ref("aws_subnet.private-us-east-1a"), ref("aws_subnet.public-us-east-1a")]));
    expect(messages(eksControlPlaneMultiAz, stack)).toEqual(["aws_eks_cluster.cluster: vpc_config.subnet_ids span 1 AZ(s) (us-east-1a): the control plane needs subnets in at least 2"]);
  });

  test("passes subnets in three AZs", () => {
    expect(messages(eksControlPlaneMultiAz, regional(goodCluster))).toEqual([]);
  });

  test("passes (undecided) literal subnet ids whose AZ the configuration does not hold", () => {
    const stack = changed((c) => (c.vpc_config.subnet_ids = ["subnet-0a", "subnet-0b"]));
    expect(messages(eksControlPlaneMultiAz, stack)).toEqual([]);
    expect(undecided(eksControlPlaneMultiAz, stack)).toHaveLength(1);
  });
});

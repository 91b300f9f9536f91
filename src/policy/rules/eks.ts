import { SUPPORTED_KUBERNETES_VERSIONS } from "../../config/schema";
import { cannotTell, fail, type CheckOutcome, type Rule } from "../rule";
import { asBoolean, asStrings, blocks, dig, isUnknown, show } from "../terraform-values";
import { keyReference } from "./key-references";
import { subnetZones } from "./network-topology";

/** The control-plane log types; every one is needed to investigate an incident. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** CIDRs that mean "the whole internet". */
export const OPEN_TO_WORLD: readonly string[] = ["0.0.0.0/0", "::/0"];

export const eksControlPlaneLogging: Rule = {
  id: "eks-control-plane-logging",
  title: "EKS clusters ship every control-plane log type",
  publicIds: ["CKV_AWS_37", "AVD-AWS-0038", "AwsSolutions-EKS2"],
  severity: "medium",
  kind: "security",
  resourceTypes: ["aws_eks_cluster"],
  fix: `Set enabled_cluster_log_types to ${JSON.stringify(CONTROL_PLANE_LOG_TYPES)}.`,
  check(cluster) {
    const types = asStrings(cluster.values.enabled_cluster_log_types);
    if (isUnknown(types)) {
      return [cannotTell("enabled_cluster_log_types is known only after apply")];
    }
    const missing = CONTROL_PLANE_LOG_TYPES.filter((type) => !types.includes(type));
    return missing.length === 0 ? [] : [fail(`enabled_cluster_log_types = ${show(types.length ? types : undefined)}: missing ${missing.join(", ")}`)];
  },
};

export const eksSecretsEncryption: Rule = {
  id: "eks-secrets-encryption",
  title: "EKS secrets are envelope-encrypted with a customer-managed KMS key",
  publicIds: ["CKV_AWS_58", "AVD-AWS-0039"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_eks_cluster"],
  fix: 'Add encryption_config { resources = ["secrets"], provider { key_arn = <customer KMS key ARN> } }.',
  check(cluster, { input }) {
    const configs = blocks(cluster.values.encryption_config);
    if (isUnknown(configs)) {
      return [cannotTell("encryption_config is known only after apply")];
    }
    const index = configs.findIndex((c) => {
      const resources = asStrings(c.resources);
      return !isUnknown(resources) && resources.includes("secrets");
    });
    if (index === -1) {
      return [fail(`encryption_config = ${show(configs.length ? configs : undefined)}: secrets are not envelope-encrypted`)];
    }
    const key = keyReference(input, cluster, dig(configs[index], "provider", 0, "key_arn"), dig(cluster.config.encryption_config, index, "provider", 0, "key_arn"));
    switch (key.kind) {
      case "missing":
        return [fail("encryption_config.provider.key_arn is not set: secrets need a KMS key")];
      case "aws-managed":
        return [fail(`encryption_config.provider.key_arn = "${key.value}": an AWS managed key, not a customer-managed one`)];
      case "unknown":
        return [cannotTell("encryption_config.provider.key_arn is known only after apply")];
      default:
        return [];
    }
  },
};

export const eksEndpointNotPublic: Rule = {
  id: "eks-endpoint-not-public",
  title: "The EKS API endpoint is private, or public only to listed CIDRs",
  publicIds: ["CKV_AWS_39", "CKV_AWS_38", "AVD-AWS-0040", "AVD-AWS-0041", "AwsSolutions-EKS1"],
  severity: "high",
  kind: "security",
  resourceTypes: ["aws_eks_cluster"],
  fix: "Set vpc_config.endpoint_public_access = false, or list the operator CIDRs in vpc_config.public_access_cidrs (never 0.0.0.0/0).",
  check(cluster) {
    const isPublic = asBoolean(dig(cluster.values, "vpc_config", 0, "endpoint_public_access"));
    if (isUnknown(isPublic)) {
      return [cannotTell("vpc_config.endpoint_public_access is known only after apply")];
    }
    // Unset means public: the provider's default is true.
    if (isPublic === false) {
      return [];
    }
    let allowed = asStrings(dig(cluster.values, "vpc_config", 0, "public_access_cidrs"));
    if (isUnknown(allowed) || allowed.length === 0) {
      // A plan marks the attribute computed; the configuration tells whether anything was listed.
      const configured = dig(cluster.config, "vpc_config", 0, "public_access_cidrs");
      if (configured === undefined || configured === null) {
        return [fail(`vpc_config.endpoint_public_access = ${show(isPublic ?? true)} with public_access_cidrs not set: EKS opens the endpoint to 0.0.0.0/0`)];
      }
      allowed = asStrings(configured);
      if (isUnknown(allowed)) {
        return [cannotTell("vpc_config.public_access_cidrs is known only after apply")];
      }
      if (allowed.length === 0) {
        // The provider sends nothing for an empty set, so EKS keeps its default: 0.0.0.0/0.
        return [fail(`vpc_config.endpoint_public_access = ${show(isPublic ?? true)} with public_access_cidrs = []: EKS opens the endpoint to 0.0.0.0/0`)];
      }
    }
    const open = allowed.filter((cidr) => OPEN_TO_WORLD.includes(cidr));
    return open.length === 0 ? [] : [fail(`vpc_config.public_access_cidrs = ${show(allowed)}: the public endpoint is open to ${open.join(", ")}`)];
  },
};

export const eksVersionSupportedAndUniform: Rule = {
  id: "eks-version-supported-and-uniform",
  title: "EKS runs a supported Kubernetes version, the same in every region of an environment",
  publicIds: ["CKV_AWS_339"],
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_eks_cluster"],
  fix: `Pin version to one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")} and upgrade every region of the environment together (the catalogue's kubernetesVersion).`,
  check(cluster, { input }) {
    const version = cluster.values.version;
    if (isUnknown(version)) {
      return [cannotTell("version is known only after apply")];
    }
    if (typeof version !== "string") {
      return [fail("version is not set: EKS picks the newest version at creation, so regions created at different times drift")];
    }
    const outcomes: CheckOutcome[] = [];
    if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(version)) {
      outcomes.push(fail(`version = "${version}": not a supported version (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`));
    }
    const environment = input.environmentOf(cluster.stack);
    const peers = input
      .allResourcesOf("aws_eks_cluster")
      .filter((peer) => peer !== cluster && input.environmentOf(peer.stack) === environment && typeof peer.values.version === "string" && peer.values.version !== version);
    if (peers.length > 0) {
      const others = peers.map((peer) => `${peer.address} in ${peer.stack} runs "${String(peer.values.version)}"`).join("; ");
      outcomes.push(fail(`version = "${version}" but ${others}: the regions of environment ${environment} must run one version`));
    }
    return outcomes;
  },
};

export const eksControlPlaneMultiAz: Rule = {
  id: "eks-control-plane-multi-az",
  title: "The EKS control plane's subnets span at least two availability zones",
  publicIds: [],
  guidance: "EKS Best Practices Guide (reliability): control-plane subnets in >= 2 AZs, 3 preferred",
  severity: "medium",
  kind: "reliability",
  resourceTypes: ["aws_eks_cluster"],
  fix: "List private subnets of at least two (preferably three) AZs in vpc_config.subnet_ids.",
  check(cluster, { input }) {
    const { zones, undetermined } = subnetZones(input, cluster, dig(cluster.config, "vpc_config", 0, "subnet_ids"));
    if (zones.size >= 2) {
      return [];
    }
    if (undetermined > 0) {
      return [cannotTell(`vpc_config.subnet_ids: the AZ of ${undetermined} subnet(s) is not in the configuration`)];
    }
    return [fail(`vpc_config.subnet_ids span ${zones.size} AZ(s) (${[...zones].join(", ") || "none"}): the control plane needs subnets in at least 2`)];
  },
};

export const EKS_RULES: readonly Rule[] = [eksControlPlaneLogging, eksSecretsEncryption, eksEndpointNotPublic, eksVersionSupportedAndUniform, eksControlPlaneMultiAz];

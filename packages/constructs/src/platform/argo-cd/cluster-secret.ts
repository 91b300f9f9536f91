import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { ARGOCD_NAMESPACE } from "../../gitops-access/names";
import { parseRoleArn } from "../../core/aws-formats";
import { isDnsLabel } from "../../core/kubernetes-formats";

/** The label Argo CD finds cluster secrets by. */
export const CLUSTER_SECRET_TYPE_LABEL = { "argocd.argoproj.io/secret-type": "cluster" } as const;

/** Labels every registered cluster carries; the bootstrap ApplicationSet selects and templates on them. */
export const CLUSTER_LABEL_KEYS = { environment: "environment", region: "region", cluster: "cluster" } as const;

/** Props of {@link ArgoCdClusterSecret}. */
export interface ArgoCdClusterSecretProps {
  /** Argo CD's name of the cluster (`destination.name` in Applications), e.g. `production-us-east-1`. */
  readonly name: string;
  /** API server URL (a cross-stack reference to the cluster's endpoint is fine). */
  readonly server: string;
  /** Base64 PEM of the cluster CA (a cross-stack reference is fine). */
  readonly caData: string;
  /** The EKS cluster name the token is issued for (literal). */
  readonly clusterName: string;
  /** The cluster's spoke access role Argo CD assumes (literal ARN). */
  readonly roleArn: string;
  /** Value of the `environment` label; team projects and the bootstrap select by it. */
  readonly environment: string;
  /** Value of the `region` label; the bootstrap syncs `<path>/<environment>/<region>`. */
  readonly region: string;
  /** More labels, e.g. the bootstrap selector. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Argo CD's namespace. @default "argocd" */
  readonly namespace?: string;
  /** Typically the Argo CD release (it creates the namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Kubernetes provider of the secret. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/** The `config` of an Argo CD cluster secret for an EKS cluster reached through an assumed role. */
export interface EksClusterConfig {
  /** Argo CD requests an EKS token for `clusterName` after assuming `roleARN`. */
  readonly awsAuthConfig: { readonly clusterName: string; readonly roleARN: string };
  /** The cluster CA; TLS is always verified. */
  readonly tlsClientConfig: { readonly insecure: false; readonly caData: string };
}

/** The `config` document of a cluster secret for `clusterName`, reached through `roleArn`. */
export function eksClusterConfig(props: Pick<ArgoCdClusterSecretProps, "clusterName" | "roleArn" | "caData">): EksClusterConfig {
  return { awsAuthConfig: { clusterName: props.clusterName, roleARN: props.roleArn }, tlsClientConfig: { insecure: false, caData: props.caData } };
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Registers one EKS cluster with Argo CD declaratively: a Secret labelled
 * `argocd.argoproj.io/secret-type: cluster` whose `config` makes Argo CD assume the cluster's
 * spoke access role (`awsAuthConfig`) and request a fresh EKS token for it, so no long-lived
 * credential is stored. Removing the secret deregisters the cluster.
 *
 * `config` is JSON with the CA inlined as a Terraform reference; base64 holds no character JSON
 * would need to escape, so the document stays valid once Terraform resolves it.
 */
export class ArgoCdClusterSecret extends Construct {
  /** The `cluster-<name>` Secret. */
  readonly secret: SecretV1;
  /** Its `config` document. */
  readonly config: EksClusterConfig;
  /** Its labels: `labels`, then environment, region, cluster and the secret-type label. */
  readonly labels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ArgoCdClusterSecretProps) {
    super(scope, id);
    const owner = `ArgoCdClusterSecret ${props.name}`;
    if (!isDnsLabel(props.name, 55)) {
      throw new Error(`${owner}: name "${props.name}" must be a DNS label of at most 55 characters (the secret is named cluster-<name>)`);
    }
    for (const [setting, value] of [["clusterName", props.clusterName], ["roleArn", props.roleArn]] as const) {
      if (Token.isUnresolved(value)) {
        throw new Error(`${owner}: ${setting} must be a literal (deterministic name), not a token`);
      }
    }
    if (!parseRoleArn(props.roleArn)) {
      throw new Error(`${owner}: roleArn "${props.roleArn}" is not an IAM role ARN`);
    }
    this.labels = {
      ...props.labels,
      [CLUSTER_LABEL_KEYS.environment]: props.environment,
      [CLUSTER_LABEL_KEYS.region]: props.region,
      [CLUSTER_LABEL_KEYS.cluster]: props.clusterName,
      ...CLUSTER_SECRET_TYPE_LABEL,
    };
    for (const [key, value] of Object.entries(this.labels)) {
      if (!LABEL_VALUE.test(value) || value.length > 63) {
        throw new Error(`${owner}: label ${key}="${value}" is not a Kubernetes label value (at most 63 alphanumerics, '-', '_', '.')`);
      }
    }
    this.config = eksClusterConfig(props);
    this.secret = new SecretV1(this, "secret", {
      provider: props.provider,
      metadata: { name: `cluster-${props.name}`, namespace: props.namespace ?? ARGOCD_NAMESPACE, labels: { ...this.labels } },
      type: "Opaque",
      data: { name: props.name, server: props.server, config: JSON.stringify(this.config) },
      dependsOn: props.dependsOn,
    });
  }
}

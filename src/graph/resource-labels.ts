import { CHARTS } from "@meridian/constructs";
import type { TerraformJson } from "../verification/synthesized-stacks";

type Block = Record<string, unknown>;

/** The main resources of a stack, in the order of {@link RESOURCE_LABELS}, and the roles they give it. */
export interface StackDescription {
  readonly roles: string[];
  readonly features: string[];
}

/**
 * One row of the type → label table: the resources of `type` in a stack become `label(...)`.
 * Types without a row are not "main" resources and do not appear in the picture.
 */
interface LabelRule {
  readonly type: string;
  /** Labels for the blocks of this type (never called with none); `[]` to show nothing. */
  readonly label: (blocks: Block[], stack: TerraformJson) => string[];
  /** A role the stack plays when it has blocks of this type, e.g. `writer`. */
  readonly role?: (blocks: Block[]) => string | undefined;
}

/** `VPC` for one, `3 VPCs` for three. */
const counted =
  (singular: string, plural = `${singular}s`) =>
  (blocks: Block[]): string[] =>
    [blocks.length === 1 ? singular : `${blocks.length} ${plural}`];
/** The same label however many there are. */
const present = (label: string) => (): string[] => [label];
const only = (predicate: (block: Block) => boolean, then: (blocks: Block[]) => string[]) => (blocks: Block[]) => {
  const matching = blocks.filter(predicate);
  return matching.length === 0 ? [] : then(matching);
};

/** Aurora member: a reader names the writer's region in `source_region`; a writer of a global cluster does not. */
const auroraRole = (cluster: Block): string | undefined =>
  typeof cluster.source_region === "string" ? "reader" : cluster.global_cluster_identifier !== undefined ? "writer" : undefined;

/** Remote Helm charts by chart name, in the order they appear in a label. Local charts (the in-repo `charts/manifests`) are not shown. */
const CHART_LABELS: readonly (readonly [chart: string, label: string])[] = [
  [CHARTS.awsLoadBalancerController.chart, "Load Balancer Controller"],
  [CHARTS.metricsServer.chart, "metrics-server"],
  [CHARTS.externalDns.chart, "external-dns"],
  [CHARTS.kyverno.chart, "Kyverno"],
  [CHARTS.karpenter.chart, "Karpenter"],
  // Its CRDs' own chart is part of Karpenter, not another add-on.
  [CHARTS.karpenterCrd.chart, "Karpenter"],
  [CHARTS.clusterAutoscaler.chart, "Cluster Autoscaler"],
  [CHARTS.nodeTerminationHandler.chart, "Node Termination Handler"],
  [CHARTS.argoCd.chart, "Argo CD"],
  [CHARTS.crossplane.chart, "Crossplane"],
  [CHARTS.kubePrometheusStack.chart, "Prometheus"],
  [CHARTS.fluentBit.chart, "Fluent Bit"],
  [CHARTS.openTelemetryCollector.chart, "OpenTelemetry"],
];

function chartLabels(releases: Block[]): string[] {
  const remote = releases.filter((release) => typeof release.repository === "string" && typeof release.chart === "string");
  const charts = new Set(remote.map((release) => release.chart as string));
  const known = [...new Set(CHART_LABELS.filter(([chart]) => charts.has(chart)).map(([, label]) => label))];
  const unknown = [...charts].filter((chart) => !CHART_LABELS.some(([name]) => name === chart)).sort();
  return [...known, ...unknown];
}

/** An Argo CD cluster secret: how the GitOps hub registers a cluster. */
export function isArgoCdClusterSecret(secret: Block): boolean {
  return (secret.metadata as { labels?: Record<string, unknown> } | undefined)?.labels?.["argocd.argoproj.io/secret-type"] === "cluster";
}

const LOAD_BALANCER_KINDS: Record<string, string> = { network: "NLB", application: "ALB", gateway: "GWLB" };

/** The type → label table, in label order. */
export const RESOURCE_LABELS: readonly LabelRule[] = [
  { type: "aws_vpc", label: counted("VPC") },
  { type: "aws_nat_gateway", label: counted("NAT gateway") },
  { type: "aws_eks_cluster", label: counted("EKS", "EKS clusters") },
  { type: "aws_eks_node_group", label: counted("node group") },
  { type: "aws_efs_file_system", label: counted("EFS", "EFS file systems") },
  {
    type: "aws_lb",
    label: (blocks) => {
      const kinds = blocks.map((lb) => LOAD_BALANCER_KINDS[String(lb.load_balancer_type ?? "application")] ?? "load balancer");
      return [...new Set(kinds)].map((kind) => {
        const n = kinds.filter((k) => k === kind).length;
        return n === 1 ? kind : `${n} ${kind}s`;
      });
    },
  },
  { type: "aws_fis_experiment_template", label: counted("FIS experiment") },
  { type: "aws_prometheus_workspace", label: counted("Managed Prometheus", "Managed Prometheus workspaces") },
  { type: "aws_rds_global_cluster", label: counted("Aurora global cluster") },
  {
    type: "aws_rds_cluster",
    label: (clusters, stack) => {
      const instances = Object.keys(stack.resource?.aws_rds_cluster_instance ?? {}).length;
      const roles = clusters.map((cluster) => auroraRole(cluster) ?? "cluster");
      const what = clusters.length === 1 ? `Aurora ${roles[0]}` : `${clusters.length} Aurora clusters`;
      return [instances > 0 ? `${what} (${instances} instance${instances === 1 ? "" : "s"})` : what];
    },
    role: (clusters) => (clusters.length === 1 ? auroraRole(clusters[0]!) : undefined),
  },
  {
    type: "aws_secretsmanager_secret",
    label: (secrets) => {
      const replicated = secrets.some((secret) => secret.replica !== undefined);
      return counted(replicated ? "replicated secret" : "secret", replicated ? "replicated secrets" : "secrets")(secrets);
    },
  },
  { type: "aws_globalaccelerator_accelerator", label: counted("Global Accelerator", "Global Accelerators") },
  { type: "aws_globalaccelerator_endpoint_group", label: counted("endpoint group") },
  { type: "aws_route53_zone", label: counted("hosted zone") },
  { type: "aws_route53_record", label: counted("Route 53 record") },
  { type: "aws_route53_health_check", label: counted("health check") },
  { type: "aws_ec2_transit_gateway", label: counted("Transit Gateway", "Transit Gateways") },
  { type: "aws_ec2_transit_gateway_vpc_attachment", label: counted("TGW attachment") },
  { type: "aws_ec2_transit_gateway_peering_attachment", label: counted("TGW peering", "TGW peerings") },
  { type: "aws_vpc_peering_connection", label: counted("VPC peering", "VPC peerings") },
  { type: "aws_vpc_peering_connection_accepter", label: counted("VPC peering accepter") },
  { type: "aws_s3_bucket", label: counted("S3 bucket") },
  { type: "aws_s3_bucket_replication_configuration", label: present("S3 replication") },
  {
    type: "aws_dynamodb_table",
    label: (tables) => {
      const global = tables.filter((table) => table.replica !== undefined);
      return [...(global.length > 0 ? counted("global table")(global) : []), ...(global.length < tables.length ? counted("DynamoDB table")(tables.filter((t) => t.replica === undefined)) : [])];
    },
  },
  { type: "aws_kms_key", label: only((key) => key.multi_region === true, counted("multi-Region KMS key")) },
  { type: "helm_release", label: chartLabels },
  {
    type: "kubernetes_secret_v1",
    label: only(isArgoCdClusterSecret, counted("Argo CD cluster")),
    role: (secrets) => (secrets.some(isArgoCdClusterSecret) ? "GitOps hub" : undefined),
  },
];

/** The roles and main resources of a synthesized stack, from the resource types it holds. */
export function describeStack(stack: TerraformJson): StackDescription {
  const roles: string[] = [];
  const features: string[] = [];
  for (const rule of RESOURCE_LABELS) {
    const blocks = Object.values(stack.resource?.[rule.type] ?? {});
    if (blocks.length === 0) {
      continue;
    }
    features.push(...rule.label(blocks, stack));
    const role = rule.role?.(blocks);
    if (role !== undefined) {
      roles.push(role);
    }
  }
  return { roles, features };
}

import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { EXTERNAL_DNS_CHART } from "./chart";
import { ChartRelease, mergeValues, type ChartPin, type HelmValues } from "../chart-release";
import { PRIORITY_CLASSES } from "../resilience";
import { CONTROLLER_IDENTITIES } from "../../core/workload-identities";
import { IAM_ROLE_ARN } from "../../core/aws-formats";
import { DOMAIN_NAME } from "../../core/kubernetes-formats";

/** Where external-dns runs; the IRSA role's trust policy names exactly this service account. */
export const EXTERNAL_DNS_NAMESPACE = CONTROLLER_IDENTITIES.externalDns.namespace;
export const EXTERNAL_DNS_SERVICE_ACCOUNT = CONTROLLER_IDENTITIES.externalDns.serviceAccount;

export interface ExternalDnsProps {
  /** Owner id of the TXT registry records: the cluster name, so two clusters never take over each other's records. */
  readonly txtOwnerId: string;
  /** AWS region of the cluster (Route 53 is global; the SDK still wants a region). */
  readonly region: string;
  /** IRSA role for `external-dns/external-dns` (a cross-stack reference is fine). */
  readonly roleArn: string;
  /** Route 53 hosted zones external-dns may change (`--zone-id-filter`); at least one. */
  readonly hostedZoneIds: readonly string[];
  /** Only names under these domains are managed (`--domain-filter`). @default [] - every name in the zones */
  readonly domainFilters?: readonly string[];
  /**
   * `upsert-only` creates and updates but never deletes records, so a cluster that loses its
   * Services (or a region evacuation) never empties the zone. @default "upsert-only"
   */
  readonly policy?: "upsert-only" | "sync" | "create-only";
  /** Kubernetes sources read for hostnames. @default ["service", "ingress"] */
  readonly sources?: readonly ("service" | "ingress" | "gateway-httproute" | "gateway-tlsroute" | "gateway-tcproute")[];
  /** Must exist before the release (see `PriorityClasses`). @default "platform-critical" */
  readonly priorityClassName?: string;
  /** The chart to install. @default EXTERNAL_DNS_CHART */
  readonly chart?: ChartPin;
  /** Helm values deep-merged over the construct's own (objects merge, arrays and scalars replace; see `mergeValues`). @default - none */
  readonly values?: HelmValues;
  /** Resources the release waits for, e.g. the priority classes. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The helm provider (cluster) to install into. @default - the stack's default helm provider */
  readonly provider?: TerraformProvider;
}

/**
 * external-dns for Route 53, limited to the given hosted zones. One replica on purpose:
 * external-dns has no leader election, and two writers would race on the same records. It is not
 * on the request path (records stay when it is down), so a restart only delays changes.
 */
export class ExternalDns extends Construct {
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const fail = (setting: string, value: unknown, rule: string) => {
      throw new Error(`ExternalDns ${props.txtOwnerId}: ${setting} ${JSON.stringify(value)} ${rule}`);
    };
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(props.txtOwnerId)) {
      fail("txtOwnerId", props.txtOwnerId, "must be 1-100 letters, digits, '_', '.', '-' (use the cluster name)");
    }
    if (props.hostedZoneIds.length === 0) {
      fail("hostedZoneIds", props.hostedZoneIds, "must name at least one hosted zone; leave external-dns out when there is none");
    }
    props.hostedZoneIds.forEach((zone, i) => {
      if (!/^Z[A-Z0-9]{1,31}$/.test(zone)) {
        fail(`hostedZoneIds[${i}]`, zone, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
      }
    });
    (props.domainFilters ?? []).forEach((domain, i) => {
      if (!DOMAIN_NAME.test(domain)) {
        fail(`domainFilters[${i}]`, domain, "must be a lower-case DNS name such as example.com");
      }
    });
    if (!Token.isUnresolved(props.roleArn) && !IAM_ROLE_ARN.test(props.roleArn)) {
      fail("roleArn", props.roleArn, "must be an IAM role ARN (or a Terraform reference to one)");
    }
    const policy = props.policy ?? "upsert-only";
    this.release = new ChartRelease(this, "external-dns", {
      releaseName: "external-dns",
      namespace: EXTERNAL_DNS_NAMESPACE,
      chart: props.chart ?? EXTERNAL_DNS_CHART,
      values: mergeValues(
        {
          provider: { name: "aws" },
          serviceAccount: {
            create: true,
            name: EXTERNAL_DNS_SERVICE_ACCOUNT,
            annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
          },
          env: [{ name: "AWS_DEFAULT_REGION", value: props.region }],
          sources: [...(props.sources ?? ["service", "ingress"])],
          policy,
          registry: "txt",
          txtOwnerId: props.txtOwnerId,
          domainFilters: [...(props.domainFilters ?? [])],
          extraArgs: props.hostedZoneIds.map((zone) => `--zone-id-filter=${zone}`),
          priorityClassName: props.priorityClassName ?? PRIORITY_CLASSES.platformCritical.name,
        },
        props.values,
      ),
      dependsOn: props.dependsOn,
      provider: props.provider,
    });
  }
}

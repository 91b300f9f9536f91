import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AWS_FAMILY_PROVIDER, AWS_SERVICE_PROVIDERS, COMPOSITION_FUNCTIONS, KUBECTL_IMAGE } from "@meridian/constructs";
import { MINIMUM_TERRAFORM } from "../verification/terraform-cli";
import { ADDON_VERSIONS, AURORA_POSTGRESQL_VERSION, KUBERNETES_VERSION } from "./catalogue";
import { CHARTS, CHART_OWNERS, type ChartPin } from "@meridian/constructs";
import { SUPPORTED_KUBERNETES_VERSIONS } from "./schema";

/**
 * When every pinned thing was released and until when it is supported, and where that was read.
 * The versions are not restated here: `pinnedVersions()` reads them from their owners (each add-on's chart.ts through CHARTS,
 * the catalogue's constants, schema.ts, the Terraform CLI check, package.json and the prebuilt
 * providers' own package.json), and every pin must have a window in SUPPORT_WINDOWS under
 * `<pin id>@<version>`, so raising a pin without its dates fails a test. `npm run currency`
 * prints the table (docs/upgrading.md).
 */

/** One thing the platform pins, as its owner states it. */
export interface Pin {
  /** Stable name: `kubernetes`, `chart:karpenter`, `eks-addon:coreDns`, `npm:cdktf`, … */
  readonly id: string;
  readonly version: string;
  /** The file that owns the pin (where to raise it). */
  readonly owner: string;
}

export interface SupportWindow {
  /** ISO date of the release, when it was published; undefined when no source states it. */
  readonly released?: string;
  /** ISO date: the last day the pinned release is supported. */
  readonly endOfSupport: string;
  /**
   * `published`: the vendor publishes this date. `policy`: computed from the project's published
   * support policy (stated in `source`). `rule`: the project publishes no date; this repository's
   * rule applies (12 months after release, see CONTROLLER_SUPPORT_MONTHS).
   */
  readonly basis: "published" | "policy" | "rule";
  /** Where the dates were read. */
  readonly source: string;
  /**
   * A pin knowingly kept past its end of support: reported, not failed, until `until`, after
   * which it fails like any expired pin. The reason says why and what ends the exception.
   */
  readonly accepted?: { readonly until: string; readonly reason: string };
}

/** Controllers whose projects publish no end-of-support date are treated as supported this long after release. */
export const CONTROLLER_SUPPORT_MONTHS = 12;

/** ISO date `months` calendar months after `date` (clamped to the month's last day). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** A chart or package with no published end of support: tag date + CONTROLLER_SUPPORT_MONTHS. */
function releaseByRule(released: string, source: string): SupportWindow {
  return {
    released,
    endOfSupport: addMonths(released, CONTROLLER_SUPPORT_MONTHS),
    basis: "rule",
    source: `${source}; no published end of support: ${CONTROLLER_SUPPORT_MONTHS} months after release`,
  };
}

const EKS_CALENDAR = "EKS user guide, Understand the Kubernetes version lifecycle on EKS (release calendar); endoflife.date/amazon-eks";

/** EKS standard support of the Kubernetes minors the clusters may run (KUBERNETES_VERSION). */
const KUBERNETES_STANDARD_SUPPORT: Readonly<Record<string, SupportWindow>> = {
  "1.35": { released: "2026-01-28", endOfSupport: "2027-03-27", basis: "published", source: `${EKS_CALENDAR} (standard support)` },
};

function clustersKubernetes(): SupportWindow {
  const window = KUBERNETES_STANDARD_SUPPORT[KUBERNETES_VERSION];
  if (!window) {
    throw new Error(`support calendar: no standard-support window for Kubernetes ${KUBERNETES_VERSION} (KUBERNETES_VERSION); add it to KUBERNETES_STANDARD_SUPPORT with its source`);
  }
  return window;
}

/** An EKS add-on build is offered for the Kubernetes minor it was published for: supported as long as that minor. */
function addonBuild(source: string): SupportWindow {
  return { endOfSupport: clustersKubernetes().endOfSupport, basis: "policy", source: `${source}; supported while Kubernetes ${KUBERNETES_VERSION} is (${EKS_CALENDAR})` };
}

/** Why the toolchain stays where it is (docs/upgrading.md); reviewed every quarter. */
const TOOLCHAIN_EXCEPTION = {
  until: "2027-03-31",
  reason:
    "the offline provider mirror holds hashicorp/aws 5.100.0 only, and a plan with the real provider is worth more than a newer binding that cannot be planned here; the move to CDK Terrain (cdktn) and aws 6 is written up in docs/upgrading.md",
};

const CDKTF_ARCHIVED = "2025-12-10";
const CDKTF_SOURCE = "hashicorp/terraform-cdk: deprecated and archived 2025-12-10 together with the prebuilt providers (successor: CDK Terrain, cdktn)";

/** Support windows by `<pin id>@<version>`. */
export const SUPPORT_WINDOWS: Readonly<Record<string, SupportWindow>> = {
  // Kubernetes: the clusters' minor, then the minors a running cluster passes through on its way (extended support).
  [`kubernetes@${KUBERNETES_VERSION}`]: clustersKubernetes(),
  "kubernetes-accepted@1.32": { released: "2025-01-25", endOfSupport: "2027-03-23", basis: "published", source: `${EKS_CALENDAR} (end of extended support)` },
  "kubernetes-accepted@1.33": { released: "2025-05-28", endOfSupport: "2027-07-29", basis: "published", source: `${EKS_CALENDAR} (end of extended support)` },
  "kubernetes-accepted@1.34": { released: "2025-10-06", endOfSupport: "2027-12-02", basis: "published", source: `${EKS_CALENDAR} (end of extended support)` },
  "kubernetes-accepted@1.35": { released: "2026-01-28", endOfSupport: "2028-03-27", basis: "published", source: `${EKS_CALENDAR} (end of extended support)` },

  // EKS add-on builds for 1.35 (src/config/catalogue.ts).
  "eks-addon:kubeProxy@v1.35.3-eksbuild.2": addonBuild("EKS user guide, Manage kube-proxy: kube-proxy versions table, row 1.35"),
  "eks-addon:coreDns@v1.14.2-eksbuild.4": addonBuild("EKS user guide, Manage CoreDNS: CoreDNS versions table, row 1.35"),
  "eks-addon:vpcCni@v1.22.3-eksbuild.1": addonBuild(
    "ministryofjustice/cloud-platform-infrastructure#4678 (2026-07-08, describe-addon-versions); the EKS table offers one VPC CNI build for every minor; not confirmed for 1.35 offline",
  ),
  "eks-addon:ebsCsiDriver@v1.66.0-eksbuild.1": addonBuild(
    "mitodl/ol-infrastructure#5959 (2026-09-21): defaultVersion for Kubernetes 1.36; not confirmed for 1.35 offline",
  ),
  "eks-addon:efsCsiDriver@v2.1.9-eksbuild.1": addonBuild(
    "kept from the 1.33 pin: EFS CSI 3.x (kubernetes-sigs/aws-efs-csi-driver#1831, 2026-04-08) splits the driver's IAM role; 1.35 compatibility of 2.1.9 not confirmed offline",
  ),
  "eks-addon:podIdentityAgent@v1.3.9-eksbuild.1": addonBuild("aws/eks-hybrid#763 (2025-10-02, describe-addon-configuration); not confirmed for 1.35 offline"),

  // Helm charts (each add-on's packages/constructs/src/platform/<add-on>/chart.ts, listed by CHARTS); release = the tag's commit date in the chart's repository.
  "chart:karpenter@1.14.1": releaseByRule("2026-08-21", "aws/karpenter-provider-aws release commit c88abbbad (Release v1.14.1); compatibility matrix: Kubernetes 1.35 needs >= 1.9"),
  "chart:karpenterCrd@1.14.1": releaseByRule("2026-08-21", "aws/karpenter-provider-aws release commit c88abbbad (charts/karpenter-crd 1.14.1)"),
  "chart:awsLoadBalancerController@3.5.0": releaseByRule("2026-08-03", "aws/eks-charts 5239609 (aws-load-balancer-controller: v3.5.0, #1354)"),
  "chart:nodeTerminationHandler@0.27.6": releaseByRule("2026-04-02", "aws/aws-node-termination-handler tag v1.25.6 (chart 0.27.6)"),
  "chart:clusterAutoscaler@9.59.0": releaseByRule("2026-07-21", "kubernetes/autoscaler tag cluster-autoscaler-chart-9.59.0 (appVersion 1.35.0, the cluster's minor)"),
  "chart:nvidiaDevicePlugin@0.20.0": releaseByRule("2026-08-19", "NVIDIA/k8s-device-plugin tag v0.20.0 (deployments/helm/nvidia-device-plugin)"),
  "chart:metricsServer@3.13.1": releaseByRule("2026-06-11", "kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.13.1"),
  "chart:externalDns@1.21.1": releaseByRule("2026-04-30", "kubernetes-sigs/external-dns tag external-dns-helm-chart-1.21.1"),
  "chart:kyverno@3.9.0": releaseByRule("2026-08-20", "kyverno/kyverno tag kyverno-chart-3.9.0 (Kyverno v1.19.0)"),
  "chart:argoCd@10.1.1": releaseByRule("2026-07-02", "argoproj/argo-helm tag argo-cd-10.1.1 (Argo CD v3.4.4)"),
  "chart:argoCdApps@2.0.5": releaseByRule("2026-05-15", "argoproj/argo-helm tag argocd-apps-2.0.5 (pinned, not installed)"),
  "chart:kubePrometheusStack@88.5.3": releaseByRule("2026-08-21", "prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3 (prometheus-operator v0.93.1)"),
  "chart:fluentBit@0.2.0": releaseByRule("2026-02-03", "aws/eks-charts 2942cdc (aws-for-fluent-bit 0.2.0, AWS for Fluent Bit 3.2.1, #1294)"),
  "chart:openTelemetryCollector@0.170.0": releaseByRule("2026-08-14", "open-telemetry/opentelemetry-helm-charts tag opentelemetry-collector-0.170.0 (collector 0.158.0)"),
  "chart:crossplane@2.3.4": {
    released: "2026-07-23",
    endOfSupport: addMonths("2026-05-21", 9),
    basis: "policy",
    source:
      "crossplane/crossplane tag v2.3.4 (2026-07-23); Crossplane's release cycle supports the three newest minors, one a quarter: 2.3 (2026-05-21) is estimated to leave support when 2.6 ships, about nine months after 2.3.0",
  },

  // Crossplane packages and the wait job's image (packages/constructs/src/platform/crossplane/packages.ts).
  "image:provider-family-aws@v2.6.0": releaseByRule("2026-06-11", "crossplane-contrib/provider-upjet-aws tag v2.6.0"),
  "image:provider-aws-eks@v2.6.0": releaseByRule("2026-06-11", "crossplane-contrib/provider-upjet-aws tag v2.6.0"),
  "image:provider-aws-iam@v2.6.0": releaseByRule("2026-06-11", "crossplane-contrib/provider-upjet-aws tag v2.6.0"),
  "image:function-go-templating@v0.12.2": releaseByRule("2026-06-15", "crossplane-contrib/function-go-templating tag v0.12.2"),
  "image:function-auto-ready@v0.6.7": releaseByRule("2026-07-24", "crossplane-contrib/function-auto-ready tag v0.6.7"),
  "image:kubectl@v1.33.5": {
    endOfSupport: "2026-06-28",
    basis: "published",
    source:
      "Kubernetes release history: 1.33 reached end of life 2026-06-28 (kubernetes.io/releases); kubectl is supported within one minor of the API server, and the hub runs 1.35",
    accepted: {
      until: "2027-01-15",
      reason: "the wait job's image belongs to the Crossplane change (packages/constructs/src/platform/crossplane/packages.ts, KUBECTL_IMAGE); raise it to a v1.35 kubectl there",
    },
  },

  // Aurora PostgreSQL (src/config/catalogue.ts).
  "aurora-postgresql@16.13": {
    endOfSupport: "2029-02-28",
    basis: "policy",
    source:
      "Aurora PostgreSQL release calendar: a major version's Aurora standard support ends on the last day of February after the community end of life (PostgreSQL 16: November 2028); 16.13 seen offered by describe-db-engine-versions on 2026-05-15; minor end-of-support dates are announced per minor",
  },

  // Terraform and its providers.
  "terraform@1.11.0": {
    released: "2025-02-27",
    endOfSupport: "2027-02-27",
    basis: "policy",
    source: "HashiCorp support policy: generally available releases are supported for up to two years (Terraform 1.11.0, 2025-02-27)",
  },
  "terraform-provider:hashicorp/aws@5.100.0": {
    endOfSupport: "2025-06-18",
    basis: "policy",
    source: "hashicorp/terraform-provider-aws: fixes land on the newest major only; 6.0.0 shipped 2025-06-18 (docs/upgrading.md)",
    accepted: TOOLCHAIN_EXCEPTION,
  },
  "terraform-provider:hashicorp/helm@3.1.1": {
    endOfSupport: CDKTF_ARCHIVED,
    basis: "published",
    source: `${CDKTF_SOURCE}; the helm binding (@cdktf/provider-helm) is frozen at this provider version`,
    accepted: TOOLCHAIN_EXCEPTION,
  },
  "terraform-provider:hashicorp/kubernetes@2.38.0": {
    endOfSupport: CDKTF_ARCHIVED,
    basis: "published",
    source: `${CDKTF_SOURCE}; the kubernetes binding is frozen at 2.x while the provider moved to 3.x (docs/upgrading.md)`,
    accepted: TOOLCHAIN_EXCEPTION,
  },
  "npm:cdktf@0.21.0": { endOfSupport: CDKTF_ARCHIVED, basis: "published", source: CDKTF_SOURCE, accepted: TOOLCHAIN_EXCEPTION },
  "npm:cdktf-cli@0.21.0": { endOfSupport: CDKTF_ARCHIVED, basis: "published", source: CDKTF_SOURCE, accepted: TOOLCHAIN_EXCEPTION },
  "npm:@cdktf/provider-aws@20.1.0": { endOfSupport: CDKTF_ARCHIVED, basis: "published", source: CDKTF_SOURCE, accepted: TOOLCHAIN_EXCEPTION },
  "npm:@cdktf/provider-helm@12.1.2": { endOfSupport: CDKTF_ARCHIVED, basis: "published", source: CDKTF_SOURCE, accepted: TOOLCHAIN_EXCEPTION },
  "npm:@cdktf/provider-kubernetes@12.1.1": { endOfSupport: CDKTF_ARCHIVED, basis: "published", source: CDKTF_SOURCE, accepted: TOOLCHAIN_EXCEPTION },

  // Node.js release lines declared in package.json engines.
  "nodejs@22": { released: "2024-04-24", endOfSupport: "2027-04-30", basis: "published", source: "Node.js release schedule (Release working group); endoflife.date/nodejs" },
  "nodejs@24": { released: "2025-05-06", endOfSupport: "2028-04-30", basis: "published", source: "Node.js release schedule (Release working group); endoflife.date/nodejs" },
};

interface PackageJson {
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly cdktf?: { readonly provider?: { readonly name: string; readonly version: string } };
}

/** Where the pins come from; the defaults are the repository's own owners. Tests pass variants. */
export interface PinSources {
  readonly charts: Readonly<Record<string, ChartPin>>;
  readonly kubernetesVersion: string;
  readonly acceptedKubernetesVersions: readonly string[];
  readonly addonVersions: Readonly<Record<string, string>>;
  readonly auroraPostgresqlVersion: string;
  readonly terraform: string;
  /** OCI references (`<registry>/<name>:<tag>`) of the Crossplane packages and job images. */
  readonly images: readonly string[];
  readonly packageJson: PackageJson;
  /** package.json of each prebuilt provider binding, by npm name. */
  readonly providerPackages: Readonly<Record<string, PackageJson>>;
}

/** npm packages of the toolchain that carry support dates; the rest are libraries without a lifecycle. */
const TOOLCHAIN_PACKAGES = ["cdktf", "cdktf-cli", "@cdktf/provider-aws", "@cdktf/provider-helm", "@cdktf/provider-kubernetes"] as const;

function readPackageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, "utf8")) as PackageJson;
}

export function repositoryPinSources(root = join(__dirname, "..", "..")): PinSources {
  const packageJson = readPackageJson(join(root, "package.json"));
  const providerPackages = Object.fromEntries(
    TOOLCHAIN_PACKAGES.filter((name) => name.startsWith("@cdktf/provider-")).map((name) => [name, readPackageJson(join(root, "node_modules", name, "package.json"))]),
  );
  return {
    charts: CHARTS,
    kubernetesVersion: KUBERNETES_VERSION,
    acceptedKubernetesVersions: SUPPORTED_KUBERNETES_VERSIONS,
    addonVersions: ADDON_VERSIONS,
    auroraPostgresqlVersion: AURORA_POSTGRESQL_VERSION,
    terraform: MINIMUM_TERRAFORM,
    images: [AWS_FAMILY_PROVIDER.package, ...AWS_SERVICE_PROVIDERS.map((provider) => provider.package), ...Object.values(COMPOSITION_FUNCTIONS).map((fn) => fn.package), KUBECTL_IMAGE],
    packageJson,
    providerPackages,
  };
}

/** The Node.js major lines an `engines.node` range names (`^22 || ^24` → 22, 24). */
export function nodeLines(range: string): string[] {
  return range.split("||").map((part) => {
    const major = /(\d+)/.exec(part)?.[1];
    if (!major) {
      throw new Error(`package.json engines.node "${range}": each alternative must name a major version, e.g. "^22 || ^24"`);
    }
    return major;
  });
}

/** Every pinned thing, read from its owner. */
/** The file that owns a chart pin: its add-on's `chart.ts` (a name outside CHARTS comes from a test's sources). */
function chartOwner(name: string): string {
  const addOn = (CHART_OWNERS as Readonly<Record<string, string>>)[name];
  return addOn === undefined ? `chart ${name}` : `packages/constructs/src/platform/${addOn}/chart.ts (CHARTS.${name})`;
}

export function pinnedVersions(sources: PinSources = repositoryPinSources()): Pin[] {
  const pins: Pin[] = [{ id: "kubernetes", version: sources.kubernetesVersion, owner: "src/config/catalogue.ts (KUBERNETES_VERSION)" }];
  for (const version of sources.acceptedKubernetesVersions) {
    pins.push({ id: "kubernetes-accepted", version, owner: "src/config/schema.ts (SUPPORTED_KUBERNETES_VERSIONS)" });
  }
  for (const [name, version] of Object.entries(sources.addonVersions)) {
    pins.push({ id: `eks-addon:${name}`, version, owner: "src/config/catalogue.ts (ADDON_VERSIONS)" });
  }
  for (const [name, pin] of Object.entries(sources.charts)) {
    pins.push({ id: `chart:${name}`, version: pin.version, owner: chartOwner(name) });
  }
  pins.push({ id: "aurora-postgresql", version: sources.auroraPostgresqlVersion, owner: "src/config/catalogue.ts (AURORA_POSTGRESQL_VERSION)" });
  pins.push({ id: "terraform", version: sources.terraform, owner: "src/verification/terraform-cli.ts (MINIMUM_TERRAFORM)" });
  for (const reference of sources.images) {
    const match = /^(?:.+\/)?([^/:]+):([^/:]+)$/.exec(reference);
    if (!match) {
      throw new Error(`image "${reference}" must be <registry>/<name>:<tag> to be placed in the support calendar`);
    }
    pins.push({ id: `image:${match[1]}`, version: match[2]!, owner: "packages/constructs/src/platform/crossplane/packages.ts" });
  }
  for (const [name, pkg] of Object.entries(sources.providerPackages)) {
    const provider = pkg.cdktf?.provider;
    if (!provider) {
      throw new Error(`${name}/package.json has no cdktf.provider block: cannot tell which Terraform provider it binds`);
    }
    pins.push({ id: `terraform-provider:${provider.name.replace(/^registry\.terraform\.io\//, "")}`, version: provider.version, owner: `package.json (${name})` });
  }
  const dependencies = { ...sources.packageJson.dependencies, ...sources.packageJson.devDependencies };
  for (const name of TOOLCHAIN_PACKAGES) {
    const version = dependencies[name];
    if (version !== undefined) {
      pins.push({ id: `npm:${name}`, version, owner: "package.json" });
    }
  }
  const engines = sources.packageJson.engines?.node;
  if (!engines) {
    throw new Error('package.json declares no engines.node: the supported Node.js lines must be stated (e.g. "^22 || ^24")');
  }
  for (const line of nodeLines(engines)) {
    pins.push({ id: "nodejs", version: line, owner: "package.json (engines.node)" });
  }
  return pins;
}

export type CurrencyStatus = "ok" | "expiring" | "accepted" | "expired" | "unknown";

export interface CalendarRow {
  readonly pin: Pin;
  readonly window?: SupportWindow;
  readonly status: CurrencyStatus;
  /** Days from `today` to the end of support (negative once past); undefined without a window. */
  readonly daysLeft?: number;
}

/** Pins inside this many days of their end of support warn. */
export const WARN_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * Each pin with its window and status on `today` (ISO date): `expired` past its end of support
 * (or past an acceptance that has lapsed), `accepted` past it under a standing exception,
 * `expiring` within `warnDays`, `unknown` when the calendar has no window for the pinned version.
 */
export function supportCalendar(
  today: string,
  pins: readonly Pin[] = pinnedVersions(),
  windows: Readonly<Record<string, SupportWindow>> = SUPPORT_WINDOWS,
  warnDays = WARN_DAYS,
): CalendarRow[] {
  return pins.map((pin) => {
    const window = windows[`${pin.id}@${pin.version}`];
    if (!window) {
      return { pin, status: "unknown" };
    }
    const daysLeft = daysBetween(today, window.endOfSupport);
    let status: CurrencyStatus;
    if (daysLeft >= 0) {
      status = daysLeft <= warnDays ? "expiring" : "ok";
    } else {
      status = window.accepted && daysBetween(today, window.accepted.until) >= 0 ? "accepted" : "expired";
    }
    return { pin, window, status, daysLeft };
  });
}

import type { KubernetesManifest } from "../manifests-release";
import { OBSERVABILITY_WORKLOADS } from "../../observability-aws/workloads";
import { PROMETHEUS_NAME, RELEASES, otelCollectorSelector } from "./values";

/**
 * The Kubernetes objects that chart *values* turn into, rebuilt from the values so they can be
 * schema-checked without Helm: the PrometheusRules of `additionalPrometheusRulesMap`, the
 * Prometheus and Alertmanager specs, the budgets, the service accounts with their IRSA
 * annotations and the pod specs of the agents. A misspelt key in a values object that is passed
 * through to a Kubernetes field becomes an unknown field here, and the schema rejects it.
 *
 * These are projections, not the charts' output: labels and names the charts add are not
 * reproduced, and how each chart maps values onto objects is its own (documented in values.ts).
 */

type Values = Record<string, unknown>;

const obj = (value: unknown): Values => (value && typeof value === "object" ? (value as Values) : {});
const withoutNulls = (value: Values): Values => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));

/** kube-prometheus-stack values keys that configure the chart, not the Prometheus object. */
const CHART_ONLY_PROMETHEUS_KEYS = /NilUsesHelmValues$|^podAntiAffinity|^storageSpec$|^additionalScrapeConfigs|^additionalAlert|^additionalPrometheusSecretsAnnotations$|^additionalConfig|^remoteWriteDashboards$/;
const CHART_ONLY_ALERTMANAGER_KEYS = /^podAntiAffinity|^useExistingSecret$|^additionalConfig/;

function budget(name: string, namespace: string, values: unknown, matchLabels: Record<string, string>): KubernetesManifest {
  const { enabled, ...spec } = obj(values);
  void enabled;
  return { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name, namespace }, spec: { ...withoutNulls(spec), selector: { matchLabels } } };
}

function serviceAccount(values: unknown, namespace: string): KubernetesManifest {
  const { name, annotations } = obj(values);
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: String(name), namespace, annotations: obj(annotations) } };
}

/** Objects embedded in (or defined by) the kube-prometheus-stack values. */
export function kubePrometheusStackObjects(values: Values, namespace: string): KubernetesManifest[] {
  const prometheus = obj(values.prometheus);
  const prometheusSpec = obj(prometheus.prometheusSpec);
  const alertmanager = obj(values.alertmanager);
  const alertmanagerSpec = obj(alertmanager.alertmanagerSpec);
  const nodeExporter = obj(values["prometheus-node-exporter"]);
  const rules = Object.entries(obj(values.additionalPrometheusRulesMap)).map(
    ([key, spec]): KubernetesManifest => ({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: `${RELEASES.kubePrometheusStack}-${key}`, namespace },
      spec: obj(spec),
    }),
  );
  const serviceAccountName = String(obj(prometheus.serviceAccount).name);
  return [
    ...rules,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "Prometheus",
      metadata: { name: PROMETHEUS_NAME, namespace },
      spec: {
        ...withoutNulls(Object.fromEntries(Object.entries(prometheusSpec).filter(([key]) => !CHART_ONLY_PROMETHEUS_KEYS.test(key)))),
        ...(prometheusSpec.storageSpec ? { storage: prometheusSpec.storageSpec } : {}),
        serviceAccountName,
      },
    },
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "Alertmanager",
      metadata: { name: `${RELEASES.kubePrometheusStack}-alertmanager`, namespace },
      spec: {
        ...withoutNulls(Object.fromEntries(Object.entries(alertmanagerSpec).filter(([key]) => !CHART_ONLY_ALERTMANAGER_KEYS.test(key)))),
        serviceAccountName: String(obj(alertmanager.serviceAccount).name),
      },
    },
    budget(`${RELEASES.kubePrometheusStack}-prometheus`, namespace, prometheus.podDisruptionBudget, { "app.kubernetes.io/name": "prometheus" }),
    budget(`${RELEASES.kubePrometheusStack}-alertmanager`, namespace, alertmanager.podDisruptionBudget, { "app.kubernetes.io/name": "alertmanager" }),
    serviceAccount(prometheus.serviceAccount, namespace),
    serviceAccount(alertmanager.serviceAccount, namespace),
    daemonSet(`${RELEASES.kubePrometheusStack}-prometheus-node-exporter`, namespace, "node-exporter", nodeExporter),
  ];
}

function daemonSet(name: string, namespace: string, container: string, values: Values, serviceAccountName?: string): KubernetesManifest {
  const labels = { "app.kubernetes.io/name": name };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      ...(values.updateStrategy ? { updateStrategy: values.updateStrategy } : {}),
      template: {
        metadata: { labels },
        spec: withoutNulls({
          serviceAccountName,
          priorityClassName: values.priorityClassName,
          tolerations: values.tolerations,
          containers: [withoutNulls({ name: container, image: "projection", resources: values.resources })],
        }),
      },
    },
  };
}

/** Objects the aws-for-fluent-bit values define: the DaemonSet's scheduling and the IRSA service account. */
export function fluentBitObjects(values: Values, namespace: string): KubernetesManifest[] {
  const account = obj(values.serviceAccount);
  return [serviceAccount(account, namespace), daemonSet(RELEASES.fluentBit, namespace, "aws-for-fluent-bit", values, String(account.name))];
}

/** Objects the opentelemetry-collector values define: the Deployment's pod spec, its budget and the IRSA service account. */
export function otelCollectorObjects(values: Values, namespace: string): KubernetesManifest[] {
  const account = obj(values.serviceAccount);
  const labels = otelCollectorSelector();
  const ports = Object.entries(obj(values.ports))
    .map(([name, port]): Values => ({ ...obj(port), name }))
    .filter((port) => port.enabled !== false && port.containerPort !== undefined)
    .map((port) => ({ name: port.name, containerPort: port.containerPort, protocol: port.protocol }));
  return [
    serviceAccount(account, namespace),
    budget(`${RELEASES.otelCollector}-opentelemetry-collector`, namespace, values.podDisruptionBudget, labels),
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `${RELEASES.otelCollector}-opentelemetry-collector`, namespace },
      spec: {
        replicas: values.replicaCount,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: withoutNulls({
            serviceAccountName: String(account.name),
            priorityClassName: values.priorityClassName,
            tolerations: values.tolerations,
            topologySpreadConstraints: values.topologySpreadConstraints,
            containers: [withoutNulls({ name: "opentelemetry-collector", image: String(obj(values.image).repository), ports, resources: values.resources })],
          }),
        },
      },
    },
  ];
}

/** Where each agent's objects live. */
export const OBSERVABILITY_NAMESPACES = {
  kubePrometheusStack: OBSERVABILITY_WORKLOADS.prometheus.namespace,
  fluentBit: OBSERVABILITY_WORKLOADS.fluentBit.namespace,
  otelCollector: OBSERVABILITY_WORKLOADS.otelCollector.namespace,
} as const;

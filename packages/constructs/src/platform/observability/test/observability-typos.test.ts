import type {
  AlertmanagerSpecValues,
  PodDisruptionBudgetValues,
  PodValues,
  PrometheusRules,
  PrometheusSpecValues,
} from "..";

/**
 * The kubernetes-models validators check types, patterns and required fields but accept unknown
 * keys, so a misspelt *optional* field (`retentoin`, `operater`) passes them. The values builders
 * are typed with the models' interfaces instead: each `@ts-expect-error` below must stay an
 * error, so `npx tsc --noEmit` fails the day a typo would no longer be caught. Jest only checks
 * that the fixtures exist; the proof is the type check.
 */

// GIVEN a Prometheus spec with `retentoin`  THEN tsc rejects it
// @ts-expect-error unknown key in prometheusSpec
const prometheusTypo: PrometheusSpecValues = { retentoin: "12h" };

// GIVEN a remote write whose SigV4 block says `regin`  THEN tsc rejects it
// @ts-expect-error unknown key in remoteWrite[].sigv4
const sigv4Typo: PrometheusSpecValues = { remoteWrite: [{ url: "https://example/api/v1/remote_write", sigv4: { regin: "us-east-1" } }] };

// GIVEN an Alertmanager spread constraint with `topologyKy`  THEN tsc rejects it
// @ts-expect-error unknown key in a topology spread constraint
const alertmanagerTypo: AlertmanagerSpecValues = { topologySpreadConstraints: [{ maxSkew: 1, topologyKy: "zone", whenUnsatisfiable: "DoNotSchedule" }] };

// GIVEN a DaemonSet toleration with `operater`  THEN tsc rejects it
// @ts-expect-error unknown key in a toleration
const tolerationTypo: PodValues = { tolerations: [{ operater: "Exists" }] };

// GIVEN a budget with `maxUnavailabe`  THEN tsc rejects it
// @ts-expect-error unknown key in a disruption budget
const budgetTypo: PodDisruptionBudgetValues = { enabled: true, maxUnavailabe: 1 };

// GIVEN a rule with `expresion`  THEN tsc rejects it
// @ts-expect-error unknown key in a rule (the only error: `expr` is there too)
const ruleTypo: PrometheusRules = { slo: { groups: [{ name: "slo", rules: [{ alert: "Burn", expr: "up == 0", expresion: "up == 0" }] }] } };

// AND the correctly spelt versions type-check
const valid: [PrometheusSpecValues, PodValues, PodDisruptionBudgetValues] = [
  { retention: "12h", remoteWrite: [{ url: "https://example/api/v1/remote_write", sigv4: { region: "us-east-1" } }] },
  { tolerations: [{ operator: "Exists" }] },
  { enabled: true, minAvailable: null, maxUnavailable: 1 },
];

describe("misspelt chart values fail the type check", () => {
  test("the typo fixtures are compiled by `tsc --noEmit` (each must remain a type error)", () => {
    expect([prometheusTypo, sigv4Typo, alertmanagerTypo, tolerationTypo, budgetTypo, ruleTypo]).toHaveLength(6);
    expect(valid).toHaveLength(3);
  });
});

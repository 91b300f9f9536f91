import { isGitOpsHub } from "../../config/gitops-hub";
import { replicaBucketName } from "../../config/naming";
import type { Catalogue, EnvironmentConfig } from "../../config/schema";
import type { SynthesizedStack } from "../../verification/synthesized-stacks";
import { GLOBAL_ACCELERATOR_API_REGION, ROUTE53_API_REGION } from "./clients";
import { markedBlock } from "../../docs/marked-block";

/**
 * "What still works when a region is down", derived from the synthesized stacks (their backends,
 * providers and resource types) and the catalogue (environments, state, the GitOps hub). Global
 * services run their control plane in one region: IAM's and Route 53's in us-east-1, Global
 * Accelerator's in us-west-2; their data planes (authentication, DNS answers, health checks,
 * anycast routing) keep working when that region is down.
 */
export const IAM_API_REGION = "us-east-1";

/** A control plane a stack or an operation calls: a service in a region. */
export interface Dependency {
  readonly service: string;
  readonly region: string;
}

export interface StackAvailability {
  readonly stack: string;
  /** Where its state and lock table live. */
  readonly stateRegion: string | undefined;
  readonly needs: readonly Dependency[];
  readonly verdict: string;
}

export interface OperationAvailability {
  readonly operation: string;
  readonly verdict: string;
}

export interface RegionDownSection {
  readonly environment: string;
  readonly downRegion: string;
  readonly stacks: readonly StackAvailability[];
  readonly operations: readonly OperationAvailability[];
}

/** Control planes a stack needs to be planned and applied: its providers' regions, the global services its resources use, the clusters it talks to. */
export function stackDependencies(stack: SynthesizedStack): Dependency[] {
  const needs: Dependency[] = [];
  const add = (service: string, region: string | undefined) => {
    if (region && !needs.some((n) => n.service === service && n.region === region)) {
      needs.push({ service, region });
    }
  };
  for (const provider of stack.config.provider?.aws ?? []) {
    add("AWS regional APIs", provider.region as string | undefined);
  }
  const types = Object.keys(stack.config.resource ?? {});
  if (types.some((t) => t.startsWith("aws_iam_"))) {
    add("IAM", IAM_API_REGION);
  }
  if (types.some((t) => t.startsWith("aws_globalaccelerator_"))) {
    add("Global Accelerator", GLOBAL_ACCELERATOR_API_REGION);
  }
  if (types.some((t) => t === "aws_route53_record" || t === "aws_route53_health_check" || t === "aws_route53_zone")) {
    add("Route 53", ROUTE53_API_REGION);
  }
  // The Kubernetes and Helm providers reach the cluster named in their `aws eks get-token` exec.
  for (const name of ["kubernetes", "helm"]) {
    for (const provider of stack.config.provider?.[name] ?? []) {
      const config = (name === "helm" ? (provider.kubernetes as Record<string, unknown> | undefined) : provider) ?? {};
      const args = ((config.exec as { args?: string[] } | undefined)?.args ?? []).map(String);
      const cluster = args[args.indexOf("--cluster-name") + 1];
      const region = args[args.indexOf("--region") + 1];
      if (args.includes("--cluster-name") && args.includes("--region")) {
        add(`Kubernetes API of ${cluster}`, region);
      }
    }
  }
  return needs;
}

function stateRegionOf(stack: SynthesizedStack): string | undefined {
  return stack.config.terraform?.backend?.s3?.region as string | undefined;
}

function stacksOf(stacks: readonly SynthesizedStack[], environment: string): SynthesizedStack[] {
  // Shared stacks (the state bootstrap) matter to every environment.
  return stacks.filter((s) => s.name.startsWith(`${environment}-`) || !stateRegionOf(s) || /\/shared\//.test(String(s.config.terraform?.backend?.s3?.key ?? ""))).sort((a, b) => a.name.localeCompare(b.name));
}

export function regionDownMap(stacks: readonly SynthesizedStack[], catalogue: Catalogue): RegionDownSection[] {
  return catalogue.environments.flatMap((environment) =>
    environment.regions.map((region) => ({
      environment: environment.name,
      downRegion: region.region,
      stacks: stacksOf(stacks, environment.name).map((stack) => stackAvailability(stack, region.region, catalogue)),
      operations: operations(environment, region.region, catalogue),
    })),
  );
}

function stackAvailability(stack: SynthesizedStack, down: string, catalogue: Catalogue): StackAvailability {
  const needs = stackDependencies(stack);
  const stateRegion = stateRegionOf(stack);
  const blocked = needs.filter((n) => n.region === down);
  const replica = `\`STATE_SITE=replica\`: ${replicaBucketName(catalogue.state.bucketName, catalogue.state.replicaRegion)} and the lock table's replica in ${catalogue.state.replicaRegion}`;
  let verdict: string;
  if (blocked.length > 0) {
    verdict = `no: needs ${blocked.map((b) => b.service).join(", ")} in ${down}`;
  } else if (stateRegion === undefined) {
    verdict = "yes (local state)";
  } else if (stateRegion === down) {
    verdict = `yes, with ${replica}`;
  } else {
    verdict = "yes";
  }
  return { stack: stack.name, stateRegion, needs, verdict };
}

function operations(environment: EnvironmentConfig, down: string, catalogue: Catalogue): OperationAvailability[] {
  const other = environment.regions.map((r) => r.region).find((r) => r !== down)!;
  const result: OperationAvailability[] = [];
  const edge = environment.edge;
  const evacuation = [`capacity: EKS in ${other}`, ...(environment.database ? [`data: RDS in ${other}`] : [])];
  if (edge) {
    evacuation.push(
      down === GLOBAL_ACCELERATOR_API_REGION
        ? `traffic: NO dial change (Global Accelerator's control plane is in ${down}); its health checks still move clients off a failed region`
        : `traffic: Global Accelerator in ${GLOBAL_ACCELERATOR_API_REGION}`,
    );
    if (edge.dns?.latencyRecordName) {
      evacuation.push(
        down === ROUTE53_API_REGION
          ? `latency records: no change possible (Route 53's control plane is in ${down}); their health checks withdraw the region by themselves`
          : `latency records: Route 53 in ${ROUTE53_API_REGION}`,
      );
    }
  }
  evacuation.push("verification: the accelerator's data plane only");
  result.push({ operation: `\`npm run evacuate -- --environment ${environment.name} --from ${down}\``, verdict: evacuation.join("; ") });
  if (environment.database) {
    result.push({
      operation: `\`npm run failover -- --environment ${environment.name} --to ${other}\``,
      verdict: `yes: RDS and CloudWatch in ${other} only (\`--mode failover\` if the writer is in ${down})`,
    });
    result.push({
      operation: "Aurora master secret and data key",
      verdict:
        environment.homeRegion === down
          ? `reads and decrypts: yes, from the replica secret and the replica key in ${other}; rotation and new versions wait for ${down}`
          : `yes: the primary secret and key are in ${environment.homeRegion}`,
    });
  }
  const hub = catalogue.gitopsHub;
  const hubHere = environment.regions.some((r) => isGitOpsHub(catalogue, environment.name, r.region));
  result.push({
    operation: "GitOps (Argo CD, Crossplane)",
    verdict:
      hub.region === down
        ? `no: the hub runs in ${hub.environment} ${hub.region}; no cluster syncs, running workloads are unaffected`
        : `yes: the hub runs in ${hub.environment} ${hub.region}${hubHere ? "" : " (another environment)"}`,
  });
  result.push({
    operation: "IAM changes (roles, policies) in any stack",
    verdict: down === IAM_API_REGION ? `no: IAM's control plane is in ${down}; authentication (the data plane) works in ${other}` : "yes",
  });
  result.push({
    operation: "Terraform state and locks",
    verdict:
      catalogue.state.region === down
        ? `through the replica: \`STATE_SITE=replica\` (${replicaBucketName(catalogue.state.bucketName, catalogue.state.replicaRegion)}, ${catalogue.state.replicaRegion})`
        : `yes: ${catalogue.state.bucketName} in ${catalogue.state.region}`,
  });
  return result;
}

/** The map as Markdown: one section per environment and region, a table of stacks and one of operations. */
export function renderRegionDownMarkdown(sections: readonly RegionDownSection[]): string {
  const lines: string[] = [];
  for (const section of sections) {
    lines.push(`### ${section.environment}: ${section.downRegion} down`, "");
    lines.push("| stack | state and lock in | can be planned and applied | control planes it needs |", "|---|---|---|---|");
    for (const stack of section.stacks) {
      lines.push(`| ${stack.stack} | ${stack.stateRegion ?? "local"} | ${stack.verdict} | ${stack.needs.map((n) => `${n.service} (${n.region})`).join(", ")} |`);
    }
    lines.push("", "| operation | still works? |", "|---|---|");
    for (const operation of section.operations) {
      lines.push(`| ${operation.operation} | ${operation.verdict} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** The map's place in docs/region-down.md. */
export const REGION_DOWN_BLOCK = markedBlock("region-down");


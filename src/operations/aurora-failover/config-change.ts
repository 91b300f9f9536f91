import type { FailoverRequest } from "./arguments";

/**
 * The catalogue edit that makes configuration match the new writer. Terraform must learn the new
 * roles from the catalogue, or the next apply would try to put the writer back.
 */
export function configChangeLines(request: FailoverRequest): string[] {
  const { environment, targetRegion, otherRegion } = request;
  // homeRegion is where the environment's global resources were created; it never follows the writer.
  const homeRegion = environment.homeRegion;
  if (environment.primaryRegion === targetRegion) {
    return [
      `src/config/catalogue.ts, environment "${environment.name}" already has primaryRegion "${targetRegion}" and secondaryRegion "${otherRegion}": no change to commit.`,
      `homeRegion stays "${homeRegion}".`,
    ];
  }
  return [
    `Commit this change to src/config/catalogue.ts, environment "${environment.name}":`,
    `  primaryRegion: "${environment.primaryRegion}" → "${targetRegion}"`,
    `  secondaryRegion: "${environment.secondaryRegion}" → "${otherRegion}"`,
    `Do NOT change homeRegion (stays "${homeRegion}"): it names where the global cluster, the multi-Region key,`,
    "the master secret and the global tables were created; changing it replaces them.",
    "Then run `npm run synth` and `cdktf diff` (terraform plan) for the environment's stacks: the plan must show only",
    "in-place updates. Any replace or destroy means something is keyed on the role instead of the region: stop and investigate.",
  ];
}

/**
 * What AWS does not carry over to the promoted cluster. The member clusters are separate
 * resources with their own settings; the role change moves the writer, not the configuration.
 */
export function notInheritedChecklist(request: FailoverRequest, oldWriterRegion: string | undefined): string[] {
  const from = oldWriterRegion ? `the old primary (${oldWriterRegion})` : "the old primary";
  return [
    `The promoted cluster in ${request.targetRegion} does not inherit settings from ${from}. Check:`,
    // Terraform builds the same parameter groups for every member, but a hand edit on one would survive the role change.
    `  [ ] DB cluster and DB parameter groups: the promoted cluster keeps its own; compare them with ${from}'s (rds.global_db_rpo, logging, extensions)`,
    "  [ ] CloudWatch alarms: writer-side alarms must now watch the new writer, the replication-lag alarm the new secondary",
    "  [ ] integrations: IAM roles associated with the cluster (S3 import/export, Lambda), event subscriptions, activity streams, zero-ETL",
    "  [ ] backups: retention, backup window and any AWS Backup plan now matter for the new primary",
    "  [ ] monitoring: Enhanced Monitoring and Performance Insights on the new writer's instances",
    "  [ ] applications: clients on the global writer endpoint follow it; anything pinned to a regional cluster endpoint must move",
    "  [ ] master secret rotation and write forwarding: confirm they work against the new writer",
  ];
}

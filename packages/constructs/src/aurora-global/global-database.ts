import { RdsGlobalCluster } from "@cdktf/provider-aws/lib/rds-global-cluster";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { instanceSizeRank } from "../core/aws-limits";
import { AURORA_ENGINE } from "./engine";

export interface AuroraGlobalDatabaseProps {
  /** Global cluster identifier (1-63 letters, digits, hyphens; letter first). */
  readonly globalClusterIdentifier: string;
  /** Aurora PostgreSQL `major.minor`, e.g. `16.6`. Members must run exactly this version. */
  readonly engineVersion: string;
  /** Name of the database created in the writer. */
  readonly databaseName: string;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Provider of a region that keeps a member (the home region). @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/** What a regional member tells the global database about itself, for the cross-region checks. */
export interface GlobalDatabaseMember {
  readonly region: string;
  readonly role: "writer" | "reader";
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly instanceCount: number;
  readonly availabilityZones: readonly string[];
}

/** What a member needs from its global cluster; satisfied by {@link AuroraGlobalDatabase}. */
export interface IAuroraGlobalCluster {
  /** Global cluster identifier (a token across stacks). */
  readonly identifier: string;
  /** The engine version the global cluster was configured with (plain string). */
  readonly engineVersion: string;
  /** Records a member so the cross-region rules run at synth time. */
  registerMember(member: GlobalDatabaseMember): void;
}

/**
 * The Aurora PostgreSQL global cluster: the container its regional members join. Storage
 * encryption must be chosen at creation (it forces replacement), so it is always on.
 *
 * Members register themselves; at synth time the construct refuses a topology that could not
 * fail over: two writers or none, different engine versions, a reader too small to take the
 * writer's load, or a writer without a second instance in another AZ.
 */
export class AuroraGlobalDatabase extends Construct implements IAuroraGlobalCluster {
  readonly globalCluster: RdsGlobalCluster;
  readonly engineVersion: string;
  private readonly members: GlobalDatabaseMember[] = [];

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    super(scope, id);
    if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(props.globalClusterIdentifier) || props.globalClusterIdentifier.endsWith("-")) {
      throw new Error(`AuroraGlobalDatabase: globalClusterIdentifier "${props.globalClusterIdentifier}" must be 1-63 letters, digits or hyphens, start with a letter and not end with a hyphen`);
    }
    if (!/^\d+\.\d+$/.test(props.engineVersion)) {
      throw new Error(`AuroraGlobalDatabase: engineVersion "${props.engineVersion}" must be an Aurora PostgreSQL major.minor version such as 16.6`);
    }
    this.engineVersion = props.engineVersion;
    this.globalCluster = new RdsGlobalCluster(this, "global-cluster", {
      provider: props.provider,
      globalClusterIdentifier: props.globalClusterIdentifier,
      engine: AURORA_ENGINE,
      engineVersion: props.engineVersion,
      databaseName: props.databaseName,
      storageEncrypted: true,
      deletionProtection: props.deletionProtection ?? true,
    });
    this.node.addValidation({ validate: () => this.checkMembers() });
  }

  get identifier(): string {
    return this.globalCluster.id;
  }

  registerMember(member: GlobalDatabaseMember): void {
    this.members.push(member);
  }

  /** The cross-region rules; each message names the member, the value and the rule. */
  checkMembers(): string[] {
    const errors: string[] = [];
    if (this.members.length === 0) {
      return errors;
    }
    const writers = this.members.filter((m) => m.role === "writer");
    if (writers.length !== 1) {
      errors.push(`global database needs exactly one writer member, found ${writers.length} (${writers.map((w) => w.region).join(", ") || "none"})`);
    }
    const regions = this.members.map((m) => m.region);
    regions.forEach((region, i) => {
      if (regions.indexOf(region) !== i) {
        errors.push(`member region ${region} appears twice; a global database has one cluster per region`);
      }
    });
    for (const member of this.members) {
      if (member.engineVersion !== this.engineVersion) {
        errors.push(
          `member ${member.region} runs engine version ${member.engineVersion} but the global cluster runs ${this.engineVersion}; failover is impossible while versions differ`,
        );
      }
    }
    const writer = writers[0];
    if (writer) {
      const zones = new Set(writer.availabilityZones.slice(0, writer.instanceCount));
      if (writer.instanceCount < 2 || zones.size < 2) {
        errors.push(`writer ${writer.region} has ${writer.instanceCount} instance(s) in ${zones.size} AZ(s); it needs >= 2 instances in different AZs`);
      }
      for (const reader of this.members.filter((m) => m.role === "reader")) {
        if (reader.instanceCount < 1) {
          errors.push(`reader ${reader.region} has no instance; a secondary needs >= 1 to be promotable`);
        }
        if (instanceSizeRank(reader.instanceClass) < instanceSizeRank(writer.instanceClass)) {
          errors.push(
            `reader ${reader.region} uses ${reader.instanceClass}, smaller than the writer's ${writer.instanceClass}; after a switchover it could not carry the writer's load`,
          );
        }
      }
    }
    return errors;
  }
}

import { RdsGlobalCluster } from "@cdktf/provider-aws/lib/rds-global-cluster";
import { Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { POSTGRESQL_IDENTIFIER, POSTGRESQL_IDENTIFIER_RULE, auroraPostgresqlVersionProblem, readerCanCarryWriter } from "./checks";
import { AURORA_ENGINE } from "./engine";

export interface AuroraGlobalDatabaseProps {
  /** Global cluster identifier (1-63 letters, digits, hyphens; letter first). */
  readonly globalClusterIdentifier: string;
  /** Aurora PostgreSQL `major.minor`, e.g. `16.6` (majors 15, 16, 17). Members must run exactly this version. */
  readonly engineVersion: string;
  /** Name of the database created in the writer (a PostgreSQL identifier). */
  readonly databaseName: string;
  /** Refuse deletion of the global cluster. @default true */
  readonly deletionProtection?: boolean;
  /** Provider of a region that keeps a member (the home region). @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/** What a regional member tells the global database about itself, for the cross-region checks. */
export interface GlobalDatabaseMember {
  /** The member's region. */
  readonly region: string;
  /** `writer` in the primary region, `reader` elsewhere. */
  readonly role: "writer" | "reader";
  /** Engine version the member is configured with. */
  readonly engineVersion: string;
  /** Instance class of the member's instances. */
  readonly instanceClass: string;
  /** Instances of the member. */
  readonly instanceCount: number;
  /** Availability zones its instances are spread over, round-robin. */
  readonly availabilityZones: readonly string[];
}

/**
 * A handle on an Aurora PostgreSQL global database: the one {@link AuroraGlobalDatabase} creates,
 * or one created elsewhere and adopted with {@link AuroraGlobalDatabase.fromGlobalDatabaseAttributes}.
 * Regional members join it and register themselves, so the cross-region rules run at synth time.
 */
export interface IAuroraGlobalDatabase {
  /** Global cluster identifier (a token when it crosses stacks). */
  readonly identifier: string;
  /** The engine version the global cluster runs (a plain string: members are checked against it). */
  readonly engineVersion: string;
  /** The members known to this handle: those declared in its attributes, then those registered. */
  readonly members: readonly GlobalDatabaseMember[];
  /** Records a member so the cross-region rules run at synth time. */
  registerMember(member: GlobalDatabaseMember): void;
}

/** @deprecated Use {@link IAuroraGlobalDatabase}. */
export type IAuroraGlobalCluster = IAuroraGlobalDatabase;

/** A global database created elsewhere (another stack, another team's state). */
export interface AuroraGlobalDatabaseAttributes {
  /** Global cluster identifier; a token (e.g. a remote-state output) is fine. */
  readonly globalClusterIdentifier: string;
  /** Aurora PostgreSQL `major.minor` the global cluster runs. */
  readonly engineVersion: string;
  /**
   * Members that exist outside this app (e.g. the writer of another team's stack), so the
   * cross-region rules see the whole topology.
   * @default [] - only the members built in this app are checked
   */
  readonly members?: readonly GlobalDatabaseMember[];
}

/**
 * The cross-region rules of a global database's topology; each message names the member, the
 * value and the rule. Nothing to check before a member exists.
 */
export function globalDatabaseTopologyProblems(engineVersion: string, members: readonly GlobalDatabaseMember[]): string[] {
  const errors: string[] = [];
  if (members.length === 0) {
    return errors;
  }
  const writers = members.filter((m) => m.role === "writer");
  if (writers.length !== 1) {
    errors.push(`global database needs exactly one writer member, found ${writers.length} (${writers.map((w) => w.region).join(", ") || "none"})`);
  }
  const regions = members.map((m) => m.region);
  regions.forEach((region, i) => {
    if (regions.indexOf(region) !== i) {
      errors.push(`member region ${region} appears twice; a global database has one cluster per region`);
    }
  });
  for (const member of members) {
    if (member.engineVersion !== engineVersion) {
      errors.push(`member ${member.region} runs engine version ${member.engineVersion} but the global cluster runs ${engineVersion}; failover is impossible while versions differ`);
    }
  }
  const writer = writers[0];
  if (writer) {
    const zones = new Set(writer.availabilityZones.slice(0, writer.instanceCount));
    if (writer.instanceCount < 2 || zones.size < 2) {
      errors.push(`writer ${writer.region} has ${writer.instanceCount} instance(s) in ${zones.size} AZ(s); it needs >= 2 instances in different AZs`);
    }
    for (const reader of members.filter((m) => m.role === "reader")) {
      if (reader.instanceCount < 1) {
        errors.push(`reader ${reader.region} has no instance; a secondary needs >= 1 to be promotable`);
      }
      if (!readerCanCarryWriter(reader.instanceClass, writer.instanceClass)) {
        errors.push(`reader ${reader.region} uses ${reader.instanceClass}, smaller than the writer's ${writer.instanceClass}; after a switchover it could not carry the writer's load`);
      }
    }
  }
  return errors;
}

/** Member registry and synth-time topology check shared by the created and the adopted global database. */
abstract class GlobalDatabaseBase extends Construct implements IAuroraGlobalDatabase {
  abstract readonly identifier: string;
  readonly engineVersion: string;
  private readonly known: GlobalDatabaseMember[];

  protected constructor(scope: Construct, id: string, engineVersion: string, members: readonly GlobalDatabaseMember[]) {
    super(scope, id);
    this.engineVersion = engineVersion;
    this.known = [...members];
    this.node.addValidation({ validate: () => this.checkMembers() });
  }

  get members(): readonly GlobalDatabaseMember[] {
    return [...this.known];
  }

  registerMember(member: GlobalDatabaseMember): void {
    this.known.push(member);
  }

  /** The cross-region rules over every known member ({@link globalDatabaseTopologyProblems}). */
  checkMembers(): string[] {
    return globalDatabaseTopologyProblems(this.engineVersion, this.known);
  }
}

/** A global database adopted by its attributes; creates nothing. */
class ImportedAuroraGlobalDatabase extends GlobalDatabaseBase {
  readonly identifier: string;

  constructor(scope: Construct, id: string, attributes: AuroraGlobalDatabaseAttributes) {
    super(scope, id, attributes.engineVersion, attributes.members ?? []);
    this.identifier = attributes.globalClusterIdentifier;
  }
}

function refuse(identifier: string, prop: string, value: unknown, rule: string): never {
  throw new Error(`AuroraGlobalDatabase "${identifier}": ${prop} = ${JSON.stringify(value)} ${rule}`);
}

/**
 * The Aurora PostgreSQL global cluster: the container its regional members join. Storage
 * encryption must be chosen at creation (it forces replacement), so it is always on.
 *
 * Members register themselves; at synth time the construct refuses a topology that could not
 * fail over: two writers or none, different engine versions, a reader too small to take the
 * writer's load, or a writer without a second instance in another AZ.
 */
export class AuroraGlobalDatabase extends GlobalDatabaseBase {
  /**
   * A global database created elsewhere, for members built here to join: they register with the
   * handle, and the cross-region rules run over them and the `members` declared.
   */
  static fromGlobalDatabaseAttributes(scope: Construct, id: string, attributes: AuroraGlobalDatabaseAttributes): IAuroraGlobalDatabase {
    const problem = auroraPostgresqlVersionProblem(attributes.engineVersion);
    if (problem) {
      refuse(attributes.globalClusterIdentifier, "engineVersion", attributes.engineVersion, problem);
    }
    return new ImportedAuroraGlobalDatabase(scope, id, attributes);
  }

  /** The `aws_rds_global_cluster`. */
  readonly globalCluster: RdsGlobalCluster;

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    const name = props.globalClusterIdentifier;
    if (!Token.isUnresolved(name) && (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(name) || name.endsWith("-"))) {
      refuse(name, "globalClusterIdentifier", name, "must be 1-63 letters, digits or hyphens, start with a letter and not end with a hyphen");
    }
    const versionProblem = auroraPostgresqlVersionProblem(props.engineVersion);
    if (versionProblem) {
      refuse(name, "engineVersion", props.engineVersion, versionProblem);
    }
    if (!POSTGRESQL_IDENTIFIER.test(props.databaseName)) {
      refuse(name, "databaseName", props.databaseName, POSTGRESQL_IDENTIFIER_RULE);
    }
    super(scope, id, props.engineVersion, []);
    this.globalCluster = new RdsGlobalCluster(this, "global-cluster", {
      provider: props.provider,
      globalClusterIdentifier: name,
      engine: AURORA_ENGINE,
      engineVersion: props.engineVersion,
      databaseName: props.databaseName,
      storageEncrypted: true,
      deletionProtection: props.deletionProtection ?? true,
    });
  }

  /** The global cluster's identifier (its Terraform id). */
  get identifier(): string {
    return this.globalCluster.id;
  }
}

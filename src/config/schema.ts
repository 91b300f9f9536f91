import { z } from "zod";
import {
  AURORA_BACKUP_RETENTION_DAYS,
  AURORA_GLOBAL_INSTANCE_CLASS,
  AURORA_GLOBAL_INSTANCE_CLASS_RULE,
  AURORA_MAX_INSTANCES_PER_CLUSTER,
  BACKUP_WINDOW,
  BACKUP_WINDOW_RULE,
  DYNAMODB_TABLE_NAME,
  DYNAMODB_TABLE_NAME_RULE,
  GLOBAL_DB_RPO_SECONDS,
  MAINTENANCE_WINDOW,
  MAINTENANCE_WINDOW_RULE,
  PERFORMANCE_INSIGHTS_RETENTION_DAYS,
  PERFORMANCE_INSIGHTS_RETENTION_RULE,
  POSTGRESQL_IDENTIFIER,
  POSTGRESQL_IDENTIFIER_RULE,
  auroraPostgresqlVersionProblem,
  keyAttributeNameProblem,
  masterUsernameProblem,
  sortKeyProblem,
} from "@meridian/constructs";
import { LOG_RETENTION_DAYS, RDS_MONITORING_INTERVALS, acceleratorHealthCheckPathProblem, globalAcceleratorHealthCheckPathProblem, targetHealthCheckPathProblem } from "@meridian/constructs";
import { MAX_AVAILABILITY_ZONES, VPC_PREFIX_RANGE, isNetworkAddress, isPrivateBlock, parseCidr } from "@meridian/constructs";
import { KNOWN_REGIONS, availabilityZonesOf } from "./regions";
import { IAM_ROLE_ARN } from "@meridian/constructs";
import { PUBLIC_DNS_NAME } from "@meridian/constructs";
import { AMI_RELEASE_VERSION, AMI_RELEASE_VERSION_RULE, EKS_AMI_TYPES, NodeGroupSchema, dnsLabelSchema } from "@meridian/constructs";
import { publicAccessCidrProblem, serviceCidrProblem } from "@meridian/constructs";

/**
 * The environment catalogue's schema. Field-level rules live here; rules that relate several
 * fields (CIDR overlap across environments, the hub pointing at a real cluster, …) live in
 * `catalogue-rules.ts`. Both report through zod issues so every error carries its path.
 */

/**
 * EKS versions this code base is tested against and EKS still runs (standard or extended support;
 * each has a row in src/config/support-calendar.ts). EKS upgrades one minor at a time, so the
 * versions a running cluster passes through stay listed. Raise together with add-on versions.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.32", "1.33", "1.34", "1.35"] as const;

const port = z.int().min(1, { message: "must be a port 1-65535" }).max(65535, { message: "must be a port 1-65535" });

const hostedZoneId = z.string().regex(/^Z[A-Z0-9]{1,31}$/, { message: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" });

const dnsName = (example: string) =>
  z.string().regex(PUBLIC_DNS_NAME, { message: `must be a lower-case DNS name such as ${example}` });

const accountId = z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" });

const region = z
  .string()
  .refine((value) => KNOWN_REGIONS.includes(value), {
    message: `unknown region; known regions: ${KNOWN_REGIONS.join(", ")}`,
  })
  // One definition in the generated JSON Schema, which lists the known regions (catalogue-json-schema.ts).
  .meta({ id: "region" });

const tagMap = z.record(
  z.string().regex(/^[\w .:/=+\-@]{1,128}$/, { message: "tag keys are 1-128 characters of letters, digits, spaces and _.:/=+-@" }),
  z.string().regex(/^[\w .:/=+\-@]{0,256}$/, { message: "tag values are 0-256 characters of letters, digits, spaces and _.:/=+-@" }),
);

const vpcCidr = z.string().superRefine((value, ctx) => {
  const block = parseCidr(value);
  if (!block) {
    ctx.addIssue({ code: "custom", message: "must be an IPv4 CIDR block such as 10.10.0.0/16" });
    return;
  }
  if (block.subnetMask < VPC_PREFIX_RANGE.min || block.subnetMask > VPC_PREFIX_RANGE.max) {
    ctx.addIssue({
      code: "custom",
      message: `prefix length must be /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max} so every subnet tier fits`,
    });
  }
  if (!isNetworkAddress(block)) {
    ctx.addIssue({ code: "custom", message: `host bits are set; did you mean ${block.startAddress().correctForm()}/${block.subnetMask}?` });
  }
  if (!isPrivateBlock(block)) {
    ctx.addIssue({ code: "custom", message: "must lie inside an RFC 1918 private range (10/8, 172.16/12, 192.168/16)" });
  }
});

export const RegionSchema = z
  .strictObject({
    /** AWS region name, e.g. `us-east-1`. */
    region,
    /** Explicit AZ names; never looked up, so stacks plan offline. */
    availabilityZones: z
      .array(z.string())
      .min(2, { message: "at least 2 availability zones are required (3 recommended)" })
      .max(MAX_AVAILABILITY_ZONES, { message: `at most ${MAX_AVAILABILITY_ZONES} availability zones fit the subnet layout` }),
    /** The region's VPC block; subnets are carved from it by `planSubnets`. */
    vpcCidr,
  })
  .superRefine((value, ctx) => {
    const valid = availabilityZonesOf(value.region);
    value.availabilityZones.forEach((az, index) => {
      if (valid.length > 0 && !valid.includes(az)) {
        ctx.addIssue({
          code: "custom",
          path: ["availabilityZones", index],
          message: `is not an availability zone of ${value.region}; valid: ${valid.join(", ")}`,
        });
      }
      if (value.availabilityZones.indexOf(az) !== index) {
        ctx.addIssue({ code: "custom", path: ["availabilityZones", index], message: "is listed twice" });
      }
    });
  });

const logRetentionDays = z.int().refine((days) => LOG_RETENTION_DAYS.includes(days), {
  message: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`,
});

// The EKS endpoint rules are EksCluster's (publicAccessCidrProblem, serviceCidrProblem): one owner.
const cidrRule = (problemOf: (cidr: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
    }
  });

const publicAccessCidr = cidrRule(publicAccessCidrProblem);

const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, { message: "must be an EKS add-on version such as v1.19.6-eksbuild.1" });

const iamRoleArn = z.string().regex(IAM_ROLE_ARN, { message: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/admin" });

export const ClusterSchema = z.strictObject({
  /**
   * CIDRs that may reach the public API endpoint. Empty keeps the endpoint private (reachable
   * from the VPC and what is routed to it); 0.0.0.0/0 is refused.
   */
  publicAccessCidrs: z.array(publicAccessCidr).default([]),
  /** IAM roles granted AmazonEKSClusterAdminPolicy through access entries. */
  adminRoleArns: z.array(iamRoleArn).min(1, { message: "at least one admin role is required: the cluster creator gets no implicit access" }),
  /** Retention of the control-plane log group. */
  logRetentionDays,
  /** Node autoscaler the platform stacks install; the AWS side (roles, queue consumer) follows it. */
  autoscaler: z.enum(["karpenter", "cluster-autoscaler"]),
  /**
   * Addresses subscribed to each region's alert topic (SNS, email; each confirms once). Alertmanager
   * publishes every alert there; other subscribers (chat, paging) attach to the topic. @default []
   */
  alertEmails: z.array(z.email({ message: "must be an email address" })).default([]),
  /** Route 53 zones external-dns may change; empty leaves external-dns out. @default [] */
  externalDnsHostedZoneIds: z.array(hostedZoneId).default([]),
  /** Kubernetes service CIDR; must not overlap any VPC. */
  serviceCidr: cidrRule(serviceCidrProblem),
  /** EKS managed add-on versions, pinned so both regions run the same bits. */
  addonVersions: z.strictObject({
    vpcCni: addonVersion,
    coreDns: addonVersion,
    kubeProxy: addonVersion,
    ebsCsiDriver: addonVersion,
    efsCsiDriver: addonVersion,
    podIdentityAgent: addonVersion,
  }),
});

export const IngressSchema = z
  .strictObject({
    /** Listener port of the regional NLB (and the Global Accelerator listener later). */
    port,
    /** `TCP` passes TLS through to the pods; `TLS` terminates it on the NLB with `certificateArn`. */
    protocol: z.enum(["TCP", "TLS"]),
    /** Port the ingress pods listen on. */
    targetPort: port,
    /** HTTP path the target group health check requests (RegionalIngress's rule). */
    healthCheckPath: z.string().superRefine((value, ctx) => {
      const problem = targetHealthCheckPathProblem(value);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
      }
    }),
    /** ACM certificate per region, required for `TLS`. @default - none */
    certificateArns: z.record(z.string(), z.string().regex(/^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, { message: "must be an ACM certificate ARN" })).default({}),
    /**
     * The in-cluster Service of the ingress pods, which the AWS Load Balancer Controller binds to
     * the NLB's target group with a TargetGroupBinding (IP targets). The Service must expose
     * `targetPort` as a port; its owners (GitOps) create it, the binding waits for it.
     * @default { namespace: "ingress", name: "ingress-gateway" }
     */
    service: z
      .strictObject({
        /** Namespace of the Service (and of its TargetGroupBinding). */
        namespace: dnsLabelSchema(63),
        /** Service name. */
        name: dnsLabelSchema(63),
      })
      .default({ namespace: "ingress", name: "ingress-gateway" }),
  });

/** The member classes the Aurora module accepts (AURORA_GLOBAL_INSTANCE_CLASS owns the rule). */
const dbInstanceClass = z.string().regex(AURORA_GLOBAL_INSTANCE_CLASS, { message: AURORA_GLOBAL_INSTANCE_CLASS_RULE });

/** A refinement that passes when `problem` finds none, with the problem's text as the message. */
const problemFree =
  (problem: (value: string) => string | undefined) =>
  (value: string, ctx: z.RefinementCtx): void => {
    const found = problem(value);
    if (found) {
      ctx.addIssue({ code: "custom", message: found });
    }
  };

export const DatabaseSchema = z.strictObject({
  /** Aurora PostgreSQL `major.minor`; one version for every member, so failover stays possible. */
  engineVersion: z.string().superRefine(problemFree(auroraPostgresqlVersionProblem)),
  /** Instance class of every member; the secondary must be able to take the writer's load. */
  instanceClass: dbInstanceClass,
  /** Per-region class, e.g. a newer family in one region. Never smaller than the writer's. @default {} */
  instanceClassOverrides: z.record(z.string(), dbInstanceClass).default({}),
  /**
   * Instances per region (writer + readers in the primary, readers in the secondary). The same
   * in both regions so a switchover neither creates nor deletes instances.
   */
  instancesPerRegion: z
    .int()
    .min(2, { message: "must be >= 2: the primary region needs a writer and a reader in another AZ" })
    .max(AURORA_MAX_INSTANCES_PER_CLUSTER, { message: `must be <= ${AURORA_MAX_INSTANCES_PER_CLUSTER} (one writer and ${AURORA_MAX_INSTANCES_PER_CLUSTER - 1} readers)` }),
  databaseName: z.string().regex(POSTGRESQL_IDENTIFIER, { message: POSTGRESQL_IDENTIFIER_RULE }),
  masterUsername: z.string().superRefine(problemFree(masterUsernameProblem)),
  /** Bump to set a new master password (generated into the master secret, then sent to the writer). */
  masterPasswordVersion: z.int().min(1, { message: "must be >= 1" }),
  /** Days of automated backups (>= 7 in production). */
  backupRetentionDays: z
    .int()
    .min(AURORA_BACKUP_RETENTION_DAYS.min, { message: `must be >= ${AURORA_BACKUP_RETENTION_DAYS.min}` })
    .max(AURORA_BACKUP_RETENTION_DAYS.max, { message: `must be <= ${AURORA_BACKUP_RETENTION_DAYS.max} (the Aurora maximum)` }),
  /** UTC `hh:mm-hh:mm`. */
  backupWindow: z.string().regex(BACKUP_WINDOW, { message: BACKUP_WINDOW_RULE }),
  /** UTC `ddd:hh:mm-ddd:hh:mm`; must not overlap the backup window. */
  maintenanceWindow: z.string().regex(MAINTENANCE_WINDOW, { message: MAINTENANCE_WINDOW_RULE }),
  /** Statements slower than this are logged (ms); -1 disables. */
  logMinDurationStatementMs: z.int().min(-1, { message: "must be >= -1" }),
  /**
   * `rds.global_db_rpo`: commits block when every secondary lags more than this many seconds.
   * Refused by the catalogue rules while an environment has a single secondary (its outage
   * would stop the writer); kept so the refusal names the setting.
   * @default - not set: Aurora's default, no RPO enforcement
   */
  globalDbRpoSeconds: z
    .int()
    .min(GLOBAL_DB_RPO_SECONDS.min, { message: `must be ${GLOBAL_DB_RPO_SECONDS.min}..${GLOBAL_DB_RPO_SECONDS.max} seconds` })
    .max(GLOBAL_DB_RPO_SECONDS.max, { message: `must be ${GLOBAL_DB_RPO_SECONDS.min}..${GLOBAL_DB_RPO_SECONDS.max} seconds` })
    .optional(),
  /** Enhanced monitoring granularity. */
  monitoringIntervalSeconds: z.literal(RDS_MONITORING_INTERVALS, { message: `must be one of ${RDS_MONITORING_INTERVALS.join(", ")}` }),
  /** Performance Insights retention: 7 (free tier), a multiple of 31 up to 713, or 731. */
  performanceInsightsRetentionDays: z.int().refine((d) => PERFORMANCE_INSIGHTS_RETENTION_DAYS.includes(d), { message: PERFORMANCE_INSIGHTS_RETENTION_RULE }),
  /** Retention of the PostgreSQL log group. */
  logRetentionDays,
  /** Lets readers in the secondary forward writes to the writer (Aurora write forwarding). @default false */
  writeForwarding: z.boolean().default(false),
  /** Replication lag (ms) above which the regional lag alarm fires. @default 1000 */
  replicationLagAlarmMs: z.int().min(100, { message: "must be >= 100 ms" }).default(1000),
});

const dynamoAttribute = z.strictObject({
  name: z.string().superRefine(problemFree(keyAttributeNameProblem)),
  type: z.enum(["S", "N", "B"]),
});

export const KeyValueTableSchema = z
  .strictObject({
    /** Table name after the environment prefix, e.g. `sessions` → `meridian-production-sessions`. */
    name: z.string().regex(/^[a-zA-Z0-9_.-]{3,200}$/, { message: "must be 3-200 characters of letters, digits, _ . -" }),
    partitionKey: dynamoAttribute,
    /** @default - none */
    sortKey: dynamoAttribute.optional(),
    /**
     * Only on-demand: a provisioned global table needs write auto scaling in every replica region,
     * which this module does not manage. @default "PAY_PER_REQUEST"
     */
    billingMode: z
      .literal("PAY_PER_REQUEST", {
        message: "must be PAY_PER_REQUEST: PROVISIONED global tables need write auto scaling in every replica region, which this platform does not manage",
      })
      .default("PAY_PER_REQUEST"),
    /** Attribute holding an epoch-seconds expiry. @default - no TTL */
    ttlAttribute: z.string().min(1).optional(),
  })
  .superRefine((table, ctx) => {
    const problem = table.sortKey ? sortKeyProblem(table.partitionKey.name, table.sortKey.name) : undefined;
    if (problem) {
      ctx.addIssue({ code: "custom", path: ["sortKey", "name"], message: problem });
    }
  });

export const EdgeSchema = z
  .strictObject({
    /** `DUAL_STACK` adds IPv6 anycast addresses and an AAAA record. @default "IPV4" */
    ipAddressType: z.enum(["IPV4", "DUAL_STACK"]).default("IPV4"),
    /** Accelerator listeners; each port must be the regional NLB's listener port. @default one TCP listener on 443 */
    listeners: z
      .array(
        z.strictObject({
          port,
          /** @default "TCP" */
          protocol: z.enum(["TCP", "UDP"]).default("TCP"),
          /** `SOURCE_IP` keeps a client on one endpoint (stateful protocols). @default "NONE" */
          clientAffinity: z.enum(["NONE", "SOURCE_IP"]).default("NONE"),
        }),
      )
      .min(1, { message: "at least one listener is required" })
      .default([{ port: 443, protocol: "TCP", clientAffinity: "NONE" }]),
    /**
     * Endpoint-group health check. For NLB endpoints Global Accelerator follows the load balancer's
     * own target health; these settings apply to the group and to EC2/EIP endpoints.
     */
    healthCheck: z
      .strictObject({
        /** @default "TCP" */
        protocol: z.enum(["TCP", "HTTP", "HTTPS"]).default("TCP"),
        /** @default - the first listener's port */
        port: port.optional(),
        /** Required for HTTP and HTTPS. */
        path: z
          .string()
          .superRefine((value, ctx) => {
            const problem = globalAcceleratorHealthCheckPathProblem(value);
            if (problem) {
              ctx.addIssue({ code: "custom", message: problem });
            }
          })
          .optional(),
        /** @default 10 */
        intervalSeconds: z.literal([10, 30], { message: "must be 10 or 30 seconds" }).default(10),
        /** Consecutive results that change an endpoint's health. @default 3 */
        thresholdCount: z.int().min(1, { message: "must be 1-10" }).max(10, { message: "must be 1-10" }).default(3),
      })
      .default({ protocol: "TCP", intervalSeconds: 10, thresholdCount: 3 }),
    /** Share of traffic (0-100) each region's endpoint group accepts; a missing region gets 100. Draining a region = 0. @default {} */
    trafficDials: z.record(z.string(), z.int().min(0, { message: "must be 0-100" }).max(100, { message: "must be 0-100" })).default({}),
    /** Weight (0-255) of each region's NLB within its endpoint group; a missing region gets 128. @default {} */
    endpointWeights: z.record(z.string(), z.int().min(0, { message: "must be 0-255" }).max(255, { message: "must be 0-255" })).default({}),
    /** Pass the client's source address through to the NLB (supported for NLBs with security groups). @default true */
    clientIpPreservation: z.boolean().default(true),
    /** Route 53 names for the accelerator. @default - no DNS records */
    dns: z
      .strictObject({
        hostedZoneId,
        /** Name of the alias record pointing at the accelerator, e.g. `app.example.com`. */
        recordName: dnsName("app.example.com"),
        /**
         * A second path that bypasses the accelerator: latency-based records straight to each
         * region's NLB, each guarded by a Route 53 health check. @default - none
         */
        latencyRecordName: dnsName("direct.app.example.com").optional(),
        /** Route 53 health check interval: 10 (fast) or 30 seconds. @default 30 */
        healthCheckIntervalSeconds: z.literal([10, 30], { message: "must be 10 or 30 seconds" }).default(30),
        /** @default 3 */
        healthCheckFailureThreshold: z.int().min(1, { message: "must be 1-10" }).max(10, { message: "must be 1-10" }).default(3),
      })
      .optional(),
  })
  .superRefine((edge, ctx) => {
    // GlobalAccelerator's rule; the path's own shape is checked on the field above.
    const { protocol, path } = edge.healthCheck;
    const pathProblem = path !== undefined && globalAcceleratorHealthCheckPathProblem(path) ? undefined : acceleratorHealthCheckPathProblem(protocol, path);
    if (pathProblem) {
      ctx.addIssue({ code: "custom", path: ["healthCheck", "path"], message: pathProblem });
    }
    // One listener per port: endpoint groups are keyed by it.
    const ports = edge.listeners.map((l) => l.port);
    ports.forEach((value, i) => {
      if (ports.indexOf(value) !== i) {
        ctx.addIssue({ code: "custom", path: ["listeners", i, "port"], message: "duplicates another listener's port" });
      }
    });
    if (edge.dns?.latencyRecordName && edge.dns.latencyRecordName === edge.dns.recordName) {
      ctx.addIssue({ code: "custom", path: ["dns", "latencyRecordName"], message: "must differ from recordName" });
    }
  });

export const EnvironmentSchema = z.strictObject({
  /** Environment name; prefixes every stack and resource name. */
  name: dnsLabelSchema(16),
  /** The only account this environment's providers may touch (`allowed_account_ids`). */
  accountId,
  /**
   * Role the deploy workflow assumes in this account (OIDC); the environment's state-writer and
   * state-reader roles in the state account trust it. Must be a role of `accountId`.
   * @default arn:aws:iam::<accountId>:role/<project>-<name>-deploy
   */
  deployRoleArn: iamRoleArn.optional(),
  /**
   * Read-only role pull-request plans assume in this account; the state-reader role trusts it.
   * Must be a role of `accountId`. @default arn:aws:iam::<accountId>:role/<project>-<name>-plan
   */
  planRoleArn: iamRoleArn.optional(),
  /** `production` enforces the stricter settings (NAT per AZ, longer retention). */
  tier: z.enum(["production", "non-production"]),
  /** Team accountable for the environment, written to the `owner` tag. */
  owner: z.string().min(1, { message: "must not be empty" }),
  costCenter: z.string().min(1, { message: "must not be empty" }),
  /** Region holding the Aurora writer and the GitOps hub by default. */
  primaryRegion: region,
  secondaryRegion: region,
  /**
   * Where the environment's global resources live: the Aurora global cluster, the multi-Region
   * primary key, the master secret and the global tables. Unlike `primaryRegion` it never
   * follows the writer; changing it replaces all of them.
   */
  homeRegion: region,
  /** Exactly the primary and the secondary region. */
  regions: z.array(RegionSchema).length(2, { message: "must list exactly two regions: the primary and the secondary" }),
  /** `per-az` keeps egress alive when an AZ fails; `single` saves cost outside production. */
  natGateways: z.enum(["per-az", "single"]),
  /** Same version in both regions by construction: failover must not change the API version. */
  kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS, {
    message: `unsupported Kubernetes version; supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`,
  }),
  nodeGroups: z.array(NodeGroupSchema).min(1, { message: "at least one node group is required" }),
  /**
   * EKS-optimized AMI release of the managed node groups, per AMI type they use, e.g.
   * `{ AL2023_x86_64_STANDARD: "1.33.13-20260714" }`: pinned, so nodes change only when this is
   * raised (a rolling update). Its Kubernetes version must be `kubernetesVersion`.
   */
  nodeAmiReleaseVersions: z.partialRecord(
    z.enum(EKS_AMI_TYPES, { message: `must be an AMI type: ${EKS_AMI_TYPES.join(", ")}` }),
    z.string().regex(AMI_RELEASE_VERSION, { message: AMI_RELEASE_VERSION_RULE }),
  ),
  /** The EKS cluster of each region. */
  cluster: ClusterSchema,
  /** The Terraform-owned regional NLB that Global Accelerator points at. */
  ingress: IngressSchema,
  /** Extra tags for every resource of the environment. */
  tags: tagMap,
  /** The Aurora PostgreSQL global database. @default - no database stack */
  database: DatabaseSchema.optional(),
  /** DynamoDB global tables replicated to both regions. @default [] */
  keyValueTables: z.array(KeyValueTableSchema).default([]),
  /** Global Accelerator (and Route 53) in front of both regions. @default - no edge stack */
  edge: EdgeSchema.optional(),
  /**
   * Whether the GitOps hub peers with and registers this environment's clusters (its hub links
   * and platform stacks exist, and the hub's network and platform stacks read its regional
   * state). The hub reads a state only once it exists, so a new environment starts `false`, is
   * deployed, and is then set `true` (docs/catalogue.md, "Adding an environment"). The hub's own
   * environment is always joined. @default false
   */
  joinedToHub: z.boolean().default(false),
});

export const StateSchema = z.strictObject({
  /** Account holding the state bucket and lock table (often a shared tooling account). */
  accountId,
  /** Region of the state bucket and lock table. */
  region,
  /** Region of the bucket replica and the lock table replica, used during an outage of `region`. */
  replicaRegion: region,
  bucketName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,52}[a-z0-9]$/, {
      message: "must be 3-54 lower-case letters, digits and '-' (the replica bucket appends the replica region)",
    }),
  lockTableName: z.string().regex(DYNAMODB_TABLE_NAME, { message: DYNAMODB_TABLE_NAME_RULE }),
  /** `local` until the bootstrap stack's state has been migrated into the bucket it creates. */
  bootstrapBackend: z.enum(["local", "s3"]),
});

/** A team's Argo CD project (see `gitopsHub.projects`). */
export const GitOpsProjectSchema = z.strictObject({
  /** The AppProject's name, which Applications name in `spec.project`. */
  name: dnsLabelSchema(63),
  /** Who owns it and what for; shown in Argo CD. */
  description: z.string().min(10, { message: "must say who owns the project and what it is for" }),
  /** Repositories its Applications may deploy from. */
  sourceRepos: z
    .array(z.string().regex(/^(https:\/\/|ssh:\/\/|git@)[\w.@:/~-]+$/, { message: "must be an https://, ssh:// or git@ repository URL (no wildcards)" }))
    .min(1, { message: "must list at least one repository" }),
  /** Environments whose clusters it may deploy to. */
  environments: z.array(z.string()).min(1, { message: "must list at least one environment" }),
  /** Namespaces it may deploy into, on those clusters; a trailing `*` matches a prefix (`payments-*`). */
  namespaces: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(-\*)?$|^[a-z0-9]+\*$/, { message: "must be a namespace name, or a prefix ending in * such as payments-*" })
        .max(63, { message: "must be at most 63 characters (a namespace name)" }),
    )
    .min(1, { message: "must list at least one namespace" }),
});

export const CatalogueSchema = z.strictObject({
  /** Short project name; first part of every state key and resource name. */
  project: dnsLabelSchema(12),
  state: StateSchema,
  /** The cluster that runs the GitOps hub (Argo CD, Crossplane); every other cluster is a spoke. */
  gitopsHub: z.strictObject({
    environment: z.string(),
    region,
    /** The repository Argo CD's bootstrap ApplicationSet follows (app-of-apps per cluster). */
    repository: z.strictObject({
      url: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)[\w.@:/~-]+$/, { message: "must be an https://, ssh:// or git@ repository URL" }),
      /** Directory holding one folder per cluster (`<environment>/<region>/`). */
      path: z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, { message: "must be a relative path such as clusters" }),
      /** Branch, tag or commit Argo CD follows. */
      revision: z.string().min(1, { message: "must not be empty" }),
    }),
    /**
     * Argo CD projects for the teams: what an Application in each may deploy, from where, to
     * where. Argo CD's built-in `default` project is refused on the hub, so every application
     * names one of these. @default []
     */
    projects: z.array(GitOpsProjectSchema).default([]),
  }),
  environments: z.array(EnvironmentSchema).min(1, { message: "at least one environment is required" }),
});


export type ClusterConfig = z.infer<typeof ClusterSchema>;
export type IngressConfig = z.infer<typeof IngressSchema>;
export type RegionConfig = z.infer<typeof RegionSchema>;
export type EdgeConfig = z.infer<typeof EdgeSchema>;
export type DatabaseConfig = z.infer<typeof DatabaseSchema>;
export type KeyValueTableConfig = z.infer<typeof KeyValueTableSchema>;
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;
export type StateConfig = z.infer<typeof StateSchema>;
export type Catalogue = z.infer<typeof CatalogueSchema>;

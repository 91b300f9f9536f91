import { cidrSubnet } from "@meridian/constructs";
import type { NodeGroupConfig } from "@meridian/constructs";

/**
 * The built-in environment catalogue: what `main.ts` synthesizes with no arguments.
 * It is plain data, validated by `loadCatalogue` like any catalogue a team writes.
 *
 * Account ids are placeholders of the right shape; replace them with your accounts.
 */

/** Every VPC of the platform is a /16 slot of this /10, so blocks never overlap and stay routable. */
export const PLATFORM_SUPERNET = "10.64.0.0/10";

/**
 * The VPC block of a numbered slot. Slots are assigned once and never reused: a VPC's CIDR
 * cannot change without replacing the VPC and everything in it.
 */
export function vpcSlot(slot: number): string {
  return cidrSubnet(PLATFORM_SUPERNET, 6, slot);
}

/** The Kubernetes minor every cluster runs; see docs/upgrading.md for the path between minors. */
export const KUBERNETES_VERSION = "1.35";

/**
 * EKS add-on builds for Kubernetes 1.35, pinned so every region runs the same bits. Read from the
 * EKS user guide's per-version tables (kube-proxy, CoreDNS) and from published add-on pins of
 * EKS users where the guide has no table (see src/config/support-calendar.ts for each source).
 * Confirm each with `aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name <name>`
 * before the first apply: the builds offered for a minor cannot be listed offline.
 */
export const ADDON_VERSIONS = {
  vpcCni: "v1.22.3-eksbuild.1",
  coreDns: "v1.14.2-eksbuild.4",
  kubeProxy: "v1.35.3-eksbuild.2",
  ebsCsiDriver: "v1.66.0-eksbuild.1",
  // Stays on the 2.x line: EFS CSI 3.x splits the driver's IAM role into controller and node roles.
  efsCsiDriver: "v2.1.9-eksbuild.1",
  podIdentityAgent: "v1.3.9-eksbuild.1",
};

/**
/**
 * EKS-optimized AL2023 AMI release of the managed nodes for KUBERNETES_VERSION (amazon-eks-ami
 * v20260714 release notes: 1.35.6-20260714; one release version covers every AL2023 type). Raise
 * it with the Kubernetes minor and the add-on builds: the catalogue refuses a release of another minor.
 */
export const NODE_AMI_RELEASE = "1.35.6-20260714";

/**
 * Aurora PostgreSQL version of every global database member; raised through the global cluster
 * (a minor upgrade of a global database is in place). 16.13: the newest 16.x minor found offered
 * (`describe-db-engine-versions`); confirm it is offered in both regions before applying.
 */
export const AURORA_POSTGRESQL_VERSION = "16.13";

const NO_TAINTS: NodeGroupConfig["taints"] = [];

const gpuTaint: NodeGroupConfig["taints"] = [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }];

export const BUILT_IN_CATALOGUE = {
  project: "meridian",
  state: {
    accountId: "111111111111",
    region: "us-east-1",
    replicaRegion: "us-west-2",
    bucketName: "meridian-tfstate-111111111111",
    lockTableName: "meridian-terraform-locks",
    bootstrapBackend: "local",
  },
  gitopsHub: {
    environment: "production",
    region: "us-east-1",
    repository: { url: "https://github.com/example/meridian-gitops.git", path: "clusters", revision: "main" },
    projects: [
      {
        name: "payments",
        description: "Payments team (payments@example.com): the payments API and its workers",
        sourceRepos: ["https://github.com/example/payments.git"],
        environments: ["staging", "production"],
        namespaces: ["payments", "payments-*"],
      },
    ],
  },
  environments: [
    {
      name: "staging",
      accountId: "222222222222",
      tier: "non-production",
      owner: "platform-team",
      costCenter: "cc-1001",
      primaryRegion: "us-east-1",
      secondaryRegion: "us-west-2",
      homeRegion: "us-east-1",
      regions: [
        { region: "us-east-1", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], vpcCidr: vpcSlot(0) },
        { region: "us-west-2", availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"], vpcCidr: vpcSlot(1) },
      ],
      natGateways: "single",
      kubernetesVersion: KUBERNETES_VERSION,
      nodeAmiReleaseVersions: { AL2023_x86_64_STANDARD: NODE_AMI_RELEASE, AL2023_x86_64_NVIDIA: NODE_AMI_RELEASE },
      nodeGroups: [
        {
          name: "system",
          class: "system",
          instanceTypes: ["m6i.large"],
          minSize: 2,
          desiredSize: 3,
          maxSize: 6,
          evacuation: { minSize: 4, maxSize: 12 },
          diskSizeGiB: 50,
          perAvailabilityZone: false,
          maxUnavailablePercentage: 33,
          labels: { "node.meridian.io/class": "system" },
          taints: NO_TAINTS,
        },
        {
          name: "spot",
          class: "spot",
          instanceTypes: ["m6i.large", "m6a.large", "m5.large"],
          minSize: 0,
          desiredSize: 0,
          maxSize: 10,
          evacuation: { minSize: 0, maxSize: 20 },
          diskSizeGiB: 50,
          perAvailabilityZone: false,
          maxUnavailablePercentage: 50,
          labels: { "node.meridian.io/class": "spot" },
          taints: NO_TAINTS,
        },
        {
          name: "gpu",
          class: "gpu",
          instanceTypes: ["g5.xlarge"],
          minSize: 0,
          desiredSize: 0,
          maxSize: 2,
          diskSizeGiB: 100,
          perAvailabilityZone: false,
          maxUnavailablePercentage: 50,
          labels: { "node.meridian.io/class": "gpu", "nvidia.com/gpu.present": "true" },
          taints: gpuTaint,
        },
      ],
      cluster: {
        // Private endpoint only: the GitOps hub reaches it over VPC peering, operators through the VPN.
        publicAccessCidrs: [] as string[],
        adminRoleArns: ["arn:aws:iam::222222222222:role/platform-admin"],
        logRetentionDays: 30,
        autoscaler: "cluster-autoscaler",
        externalDnsHostedZoneIds: ["Z0STAGINGEXAMPLE000001"],
        serviceCidr: "172.20.0.0/16",
        addonVersions: ADDON_VERSIONS,
      },
      ingress: { port: 443, protocol: "TCP", targetPort: 8443, healthCheckPath: "/healthz" },
      tags: {},
      database: {
        engineVersion: AURORA_POSTGRESQL_VERSION,
        instanceClass: "db.r6g.large",
        instanceClassOverrides: {},
        instancesPerRegion: 2,
        databaseName: "meridian",
        masterUsername: "platform_admin",
        masterPasswordVersion: 1,
        backupRetentionDays: 3,
        backupWindow: "07:00-08:00",
        maintenanceWindow: "tue:09:00-tue:10:00",
        logMinDurationStatementMs: 500,
        monitoringIntervalSeconds: 60,
        performanceInsightsRetentionDays: 7,
        logRetentionDays: 30,
      },
      keyValueTables: [
        { name: "sessions", partitionKey: { name: "session_id", type: "S" }, ttlAttribute: "expires_at" },
      ],
      edge: {
        listeners: [{ port: 443, protocol: "TCP", clientAffinity: "NONE" }],
        healthCheck: { protocol: "TCP", intervalSeconds: 10, thresholdCount: 3 },
        trafficDials: { "us-east-1": 100, "us-west-2": 100 },
        dns: { hostedZoneId: "Z0STAGINGEXAMPLE000001", recordName: "staging.meridian.example.com" },
      },
      // Deployed, then joined (docs/catalogue.md, "Adding an environment").
      joinedToHub: true,
    },
    {
      name: "production",
      accountId: "333333333333",
      tier: "production",
      owner: "platform-team",
      costCenter: "cc-1000",
      primaryRegion: "us-east-1",
      secondaryRegion: "eu-west-1",
      homeRegion: "us-east-1",
      regions: [
        { region: "us-east-1", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], vpcCidr: vpcSlot(8) },
        { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], vpcCidr: vpcSlot(9) },
      ],
      natGateways: "per-az",
      kubernetesVersion: KUBERNETES_VERSION,
      // Karpenter provisions spot and GPU nodes; the managed (system) nodes are x86_64 standard.
      nodeAmiReleaseVersions: { AL2023_x86_64_STANDARD: NODE_AMI_RELEASE },
      nodeGroups: [
        {
          name: "system",
          class: "system",
          instanceTypes: ["m7i.xlarge"],
          minSize: 3,
          desiredSize: 3,
          maxSize: 9,
          evacuation: { minSize: 6, maxSize: 18 },
          diskSizeGiB: 100,
          // One group per AZ: Cluster Autoscaler can then grow the zone a pending zonal pod needs.
          perAvailabilityZone: true,
          maxUnavailablePercentage: 33,
          labels: { "node.meridian.io/class": "system" },
          taints: NO_TAINTS,
        },
        {
          name: "spot",
          class: "spot",
          instanceTypes: ["m7i.xlarge", "m6i.xlarge", "m6a.xlarge", "m5.xlarge"],
          minSize: 0,
          desiredSize: 0,
          maxSize: 30,
          evacuation: { minSize: 0, maxSize: 60 },
          diskSizeGiB: 100,
          perAvailabilityZone: false,
          maxUnavailablePercentage: 33,
          labels: { "node.meridian.io/class": "spot" },
          taints: NO_TAINTS,
        },
        {
          name: "gpu",
          class: "gpu",
          instanceTypes: ["g5.2xlarge", "g6.2xlarge"],
          minSize: 0,
          desiredSize: 0,
          maxSize: 6,
          diskSizeGiB: 200,
          perAvailabilityZone: false,
          maxUnavailablePercentage: 33,
          labels: { "node.meridian.io/class": "gpu", "nvidia.com/gpu.present": "true" },
          taints: gpuTaint,
        },
      ],
      cluster: {
        // Private endpoint only: operators reach it through the VPN routed into the VPC.
        publicAccessCidrs: [] as string[],
        adminRoleArns: ["arn:aws:iam::333333333333:role/platform-admin", "arn:aws:iam::333333333333:role/break-glass"],
        logRetentionDays: 365,
        autoscaler: "karpenter",
        // Each region's alert topic mails the on-call list; paging and chat subscribe to the topic too.
        alertEmails: ["platform-oncall@example.com"],
        externalDnsHostedZoneIds: ["Z0PRODUCTIONEXAMPLE001"],
        serviceCidr: "172.20.0.0/16",
        addonVersions: ADDON_VERSIONS,
      },
      ingress: { port: 443, protocol: "TCP", targetPort: 8443, healthCheckPath: "/healthz" },
      tags: { "data-classification": "confidential" },
      database: {
        engineVersion: AURORA_POSTGRESQL_VERSION,
        instanceClass: "db.r7g.xlarge",
        instanceClassOverrides: {},
        instancesPerRegion: 2,
        databaseName: "meridian",
        masterUsername: "platform_admin",
        masterPasswordVersion: 1,
        backupRetentionDays: 14,
        backupWindow: "07:00-08:00",
        maintenanceWindow: "tue:09:00-tue:10:00",
        logMinDurationStatementMs: 1000,
        // No managed RPO (rds.global_db_rpo): with one secondary it would stop writes whenever
        // that region is out; the replication-lag alarm pages instead (runbook, "Managed RPO").
        monitoringIntervalSeconds: 15,
        performanceInsightsRetentionDays: 465,
        logRetentionDays: 365,
        writeForwarding: true,
      },
      keyValueTables: [
        { name: "sessions", partitionKey: { name: "session_id", type: "S" }, ttlAttribute: "expires_at" },
        { name: "feature-flags", partitionKey: { name: "flag", type: "S" }, sortKey: { name: "scope", type: "S" } },
      ],
      edge: {
        listeners: [{ port: 443, protocol: "TCP", clientAffinity: "NONE" }],
        // Pods serve TLS on the target port; the check goes through the NLB like client traffic.
        healthCheck: { protocol: "HTTPS", path: "/healthz", intervalSeconds: 10, thresholdCount: 3 },
        // Drain a region by setting its dial to 0 (see docs/edge.md, "Evacuating a region").
        trafficDials: { "us-east-1": 100, "eu-west-1": 100 },
        dns: {
          hostedZoneId: "Z0PRODUCTIONEXAMPLE001",
          recordName: "app.meridian.example.com",
          latencyRecordName: "direct.app.meridian.example.com",
          healthCheckIntervalSeconds: 10,
        },
      },
      // The GitOps hub's own environment.
      joinedToHub: true,
    },
  ],
};

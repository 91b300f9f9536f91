import { ConfigError, loadCatalogue, selectEnvironments } from "../../src/config/load";
import { rawCatalogue, resourcesOf, stackNames, synthStacks, validCatalogue } from "../helpers";

type Raw = ReturnType<typeof rawCatalogue>;
// Tests write values the typed catalogue would refuse to compile; that is the point.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

interface BadInput {
  readonly when: string;
  readonly mutate: (raw: Loose) => void;
  readonly path: string;
  readonly rule: RegExp;
}

const staging = (raw: Raw) => raw.environments[0]!;
const production = (raw: Raw) => raw.environments[1]!;
/** An environment's edge settings, untyped so cases can write values the catalogue type would refuse. */
const edgeOf = (env: Raw["environments"][number]): Loose => env.edge;
/** A TLS ingress with a certificate in each of production's regions, so only the case's own rule breaks. */
const TLS_INGRESS = {
  protocol: "TLS",
  certificateArns: { "us-east-1": "arn:aws:acm:us-east-1:333333333333:certificate/a", "eu-west-1": "arn:aws:acm:eu-west-1:333333333333:certificate/b" },
};

const CASES: BadInput[] = [
  { when: "the primary region is unknown", mutate: (r) => (staging(r).primaryRegion = "us-east-9"), path: "environments[0].primaryRegion", rule: /unknown region/ },
  { when: "a region entry names an unknown region", mutate: (r) => (staging(r).regions[1]!.region = "mars-1"), path: "environments[0].regions[1].region", rule: /unknown region/ },
  { when: "an AZ belongs to another region", mutate: (r) => (staging(r).regions[0]!.availabilityZones[1] = "us-west-2b"), path: "environments[0].regions[0].availabilityZones[1]", rule: /not an availability zone of us-east-1/ },
  { when: "an AZ letter does not exist in the region", mutate: (r) => (production(r).regions[1]!.availabilityZones[2] = "eu-west-1z"), path: "environments[1].regions[1].availabilityZones[2]", rule: /valid: eu-west-1a, eu-west-1b, eu-west-1c/ },
  { when: "a region has fewer than 2 AZs", mutate: (r) => (staging(r).regions[0]!.availabilityZones = ["us-east-1a"]), path: "environments[0].regions[0].availabilityZones", rule: /at least 2 availability zones/ },
  { when: "an AZ is listed twice", mutate: (r) => (staging(r).regions[0]!.availabilityZones[2] = "us-east-1a"), path: "environments[0].regions[0].availabilityZones[2]", rule: /listed twice/ },
  { when: "primary and secondary region are the same", mutate: (r) => (staging(r).secondaryRegion = "us-east-1"), path: "environments[0].secondaryRegion", rule: /must differ from primaryRegion/ },
  { when: "the secondary region has no region entry", mutate: (r) => (staging(r).secondaryRegion = "us-east-2"), path: "environments[0].secondaryRegion", rule: /has no entry in regions/ },
  { when: "a region entry is neither primary nor secondary", mutate: (r) => Object.assign(staging(r).regions[1]!, { region: "us-east-2", availabilityZones: ["us-east-2a", "us-east-2b", "us-east-2c"] }), path: "environments[0].regions[1].region", rule: /neither primaryRegion/ },
  { when: "a region is listed twice", mutate: (r) => Object.assign(staging(r).regions[1]!, { region: "us-east-1", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] }), path: "environments[0].regions[1].region", rule: /listed twice/ },
  { when: "an environment lists three regions", mutate: (r) => staging(r).regions.push({ region: "us-east-2", availabilityZones: ["us-east-2a", "us-east-2b"], vpcCidr: "10.70.0.0/16" }), path: "environments[0].regions", rule: /exactly two regions/ },
  { when: "two environments' VPCs overlap", mutate: (r) => (production(r).regions[0]!.vpcCidr = staging(r).regions[1]!.vpcCidr), path: "environments[1].regions[0].vpcCidr", rule: /overlaps 10\.65\.0\.0\/16 of staging\/us-west-2/ },
  { when: "a smaller VPC lies inside another environment's", mutate: (r) => (production(r).regions[1]!.vpcCidr = "10.64.128.0/17"), path: "environments[1].regions[1].vpcCidr", rule: /overlaps 10\.64\.0\.0\/16 of staging\/us-east-1/ },
  { when: "a VPC CIDR is malformed", mutate: (r) => (staging(r).regions[0]!.vpcCidr = "10.64.0/16"), path: "environments[0].regions[0].vpcCidr", rule: /IPv4 CIDR block/ },
  { when: "a VPC CIDR prefix is out of range", mutate: (r) => (staging(r).regions[0]!.vpcCidr = "10.64.0.0/33"), path: "environments[0].regions[0].vpcCidr", rule: /IPv4 CIDR block/ },
  { when: "a VPC is too small for the subnet layout", mutate: (r) => (staging(r).regions[0]!.vpcCidr = "10.64.0.0/24"), path: "environments[0].regions[0].vpcCidr", rule: /prefix length must be \/16 to \/18/ },
  { when: "a VPC CIDR has host bits set", mutate: (r) => (staging(r).regions[0]!.vpcCidr = "10.64.1.0/16"), path: "environments[0].regions[0].vpcCidr", rule: /did you mean 10\.64\.0\.0\/16/ },
  { when: "a VPC CIDR is not private", mutate: (r) => (staging(r).regions[0]!.vpcCidr = "8.8.0.0/16"), path: "environments[0].regions[0].vpcCidr", rule: /RFC 1918/ },
  { when: "two environments share a name", mutate: (r) => (production(r).name = "staging"), path: "environments[1].name", rule: /duplicates the name of environments\[0\]/ },
  { when: "an environment name is not a DNS label", mutate: (r) => (staging(r).name = "Staging_1"), path: "environments[0].name", rule: /lower-case letters/ },
  { when: "an account id is malformed", mutate: (r) => (production(r).accountId = "3333-3333-3333"), path: "environments[1].accountId", rule: /12-digit AWS account id/ },
  { when: "the state account id is malformed", mutate: (r) => (r.state.accountId = "11111111111"), path: "state.accountId", rule: /12-digit/ },
  { when: "a node group's minSize exceeds maxSize", mutate: (r) => Object.assign(staging(r).nodeGroups[1]!, { minSize: 12, desiredSize: 12 }), path: "environments[0].nodeGroups[1].minSize", rule: /must be <= maxSize \(10\)/ },
  { when: "a node group's desiredSize is outside min..max", mutate: (r) => (staging(r).nodeGroups[0]!.desiredSize = 7), path: "environments[0].nodeGroups[0].desiredSize", rule: /between minSize \(2\) and maxSize \(6\)/ },
  { when: "a spot node group has one instance type", mutate: (r) => (staging(r).nodeGroups[1]!.instanceTypes = ["m6i.large"]), path: "environments[0].nodeGroups[1].instanceTypes", rule: /at least 2 instance types/ },
  { when: "a gpu node group has a non-GPU instance type", mutate: (r) => (production(r).nodeGroups[2]!.instanceTypes[1] = "m6i.large"), path: "environments[1].nodeGroups[2].instanceTypes[1]", rule: /not an NVIDIA GPU instance type/ },
  { when: "the system node group can shrink below 2 nodes", mutate: (r) => Object.assign(staging(r).nodeGroups[0]!, { minSize: 1 }), path: "environments[0].nodeGroups[0].minSize", rule: /at least 2 nodes/ },
  { when: "an instance type is malformed", mutate: (r) => (staging(r).nodeGroups[0]!.instanceTypes = ["large"]), path: "environments[0].nodeGroups[0].instanceTypes[0]", rule: /EC2 instance type/ },
  { when: "two node groups share a name", mutate: (r) => (staging(r).nodeGroups[1]!.name = "system"), path: "environments[0].nodeGroups[1].name", rule: /duplicates another node group/ },
  { when: "no node group has the system class", mutate: (r) => (staging(r).nodeGroups = staging(r).nodeGroups.slice(1)), path: "environments[0].nodeGroups", rule: /class 'system'/ },
  { when: "the Kubernetes version is unsupported", mutate: (r) => (production(r).kubernetesVersion = "1.20"), path: "environments[1].kubernetesVersion", rule: /unsupported Kubernetes version; supported: 1\.32, 1\.33, 1\.34, 1\.35/ },
  { when: "production uses a single NAT gateway", mutate: (r) => (production(r).natGateways = "single"), path: "environments[1].natGateways", rule: /NAT gateway per AZ/ },
  { when: "a key is misspelt", mutate: (r) => ((staging(r) as Loose).primaryregion = "us-east-1"), path: "environments[0]", rule: /primaryregion/ },
  { when: "a required setting is missing", mutate: (r) => delete (staging(r) as Loose).owner, path: "environments[0].owner", rule: /expected string/ },
  { when: "the GitOps hub names no environment", mutate: (r) => (r.gitopsHub.environment = "prod"), path: "gitopsHub.environment", rule: /known: staging, production/ },
  { when: "the GitOps hub region is not one of its environment's", mutate: (r) => (r.gitopsHub.region = "us-west-2"), path: "gitopsHub.region", rule: /not a region of environment production/ },
  { when: "a GitOps project takes Argo CD's default project's name", mutate: (r) => (r.gitopsHub.projects[0]!.name = "default"), path: "gitopsHub.projects[0].name", rule: /is reserved \(default, cluster-bootstrap\)/ },
  { when: "a GitOps project names an unknown environment", mutate: (r) => (r.gitopsHub.projects[0]!.environments = ["qa"]), path: "gitopsHub.projects[0].environments[0]", rule: /names no environment; known: staging, production/ },
  { when: "a GitOps project's namespace is a bare wildcard", mutate: (r) => (r.gitopsHub.projects[0]!.namespaces = ["*"]), path: "gitopsHub.projects[0].namespaces[0]", rule: /namespace name, or a prefix ending in \*/ },
  { when: "the state replica region equals the state region", mutate: (r) => (r.state.replicaRegion = "us-east-1"), path: "state.replicaRegion", rule: /survives a region outage/ },
  { when: "the state bucket name is invalid", mutate: (r) => (r.state.bucketName = "Meridian_State"), path: "state.bucketName", rule: /lower-case letters/ },
  // Node labels and taints as the EKS node group API takes them (refused at CreateNodegroup otherwise).
  { when: "a node label uses the reserved kubernetes.io/ domain", mutate: (r) => (staging(r).nodeGroups[0]!.labels = { "node.kubernetes.io/class": "system" } as Loose), path: "environments[0].nodeGroups[0].labels.node.kubernetes.io/class", rule: /^contains the reserved prefix "kubernetes\.io\/", which the EKS node group API refuses/ },
  { when: "a node label uses the reserved eks.amazonaws.com/ domain", mutate: (r) => (production(r).nodeGroups[1]!.labels = { "eks.amazonaws.com/nodegroup": "spot" } as Loose), path: "environments[1].nodeGroups[1].labels.eks.amazonaws.com/nodegroup", rule: /reserved prefix "eks\.amazonaws\.com\/"/ },
  { when: "a node label key is malformed", mutate: (r) => (staging(r).nodeGroups[1]!.labels = { "team name": "a" } as Loose), path: "environments[0].nodeGroups[1].labels.team name", rule: /^label key must be \[prefix\/\]name/ },
  { when: "a node label value is empty", mutate: (r) => (staging(r).nodeGroups[1]!.labels = { "node.meridian.io/team": "" } as Loose), path: "environments[0].nodeGroups[1].labels.node.meridian.io/team", rule: /^label value is empty; the EKS node group API needs 1-63 characters$/ },
  { when: "the class label disagrees with the class", mutate: (r) => (staging(r).nodeGroups[1]!.labels = { "node.meridian.io/class": "system" } as Loose), path: "environments[0].nodeGroups[1].labels.node.meridian.io/class", rule: /^is set from class \("spot"\)/ },
  { when: "a taint key is longer than EKS's 63 characters", mutate: (r) => (staging(r).nodeGroups[2]!.taints = [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }, { key: `example.com/${"t".repeat(60)}`, effect: "NO_SCHEDULE" }] as Loose), path: "environments[0].nodeGroups[2].taints[1]", rule: /^taint key is 72 characters; the EKS node group API takes at most 63$/ },
  // AMI releases of the managed node groups: pinned per AMI type in use, of the cluster's Kubernetes version.
  { when: "an AMI type a managed group uses has no release", mutate: (r) => delete (staging(r).nodeAmiReleaseVersions as Loose).AL2023_x86_64_NVIDIA, path: "environments[0].nodeAmiReleaseVersions", rule: /^has no release for AL2023_x86_64_NVIDIA, which managed node group gpu uses/ },
  { when: "an AMI release is of another Kubernetes version", mutate: (r) => (staging(r).nodeAmiReleaseVersions.AL2023_x86_64_STANDARD = "1.32.13-20260714"), path: "environments[0].nodeAmiReleaseVersions.AL2023_x86_64_STANDARD", rule: /^is a release for Kubernetes 1\.32, but the cluster runs 1\.35; raise it with kubernetesVersion$/ },
  { when: "an AMI release is malformed", mutate: (r) => (staging(r).nodeAmiReleaseVersions.AL2023_x86_64_STANDARD = "v20260714"), path: "environments[0].nodeAmiReleaseVersions.AL2023_x86_64_STANDARD", rule: /must be an EKS AMI release version such as 1\.33\.13-20260714/ },
  { when: "an AMI release names an AMI type no managed group uses", mutate: (r) => ((production(r).nodeAmiReleaseVersions as Loose).AL2023_x86_64_NVIDIA = "1.35.6-20260714"), path: "environments[1].nodeAmiReleaseVersions.AL2023_x86_64_NVIDIA", rule: /^is a release for an AMI type no managed node group uses; remove it$/ },
  // Under Karpenter only the system class is a managed node group: sizes of other classes would describe capacity that does not exist.
  { when: "a Karpenter-provisioned class asks for a minimum size", mutate: (r) => Object.assign(production(r).nodeGroups[1]!, { minSize: 2, desiredSize: 2, evacuation: { minSize: 2, maxSize: 60 } }), path: "environments[1].nodeGroups[1].minSize", rule: /^must be 0: with cluster\.autoscaler "karpenter" class spot is a Karpenter NodePool, not a managed node group/ },
  { when: "a Karpenter-provisioned class fans out per AZ", mutate: (r) => (production(r).nodeGroups[2]!.perAvailabilityZone = true), path: "environments[1].nodeGroups[2].perAvailabilityZone", rule: /^must be false: with cluster\.autoscaler "karpenter" class gpu is a Karpenter NodePool/ },
  { when: "a disk is smaller than 20 GiB", mutate: (r) => (staging(r).nodeGroups[0]!.diskSizeGiB = 8), path: "environments[0].nodeGroups[0].diskSizeGiB", rule: />= 20 GiB/ },
  { when: "maxUnavailablePercentage is 0", mutate: (r) => (staging(r).nodeGroups[0]!.maxUnavailablePercentage = 0), path: "environments[0].nodeGroups[0].maxUnavailablePercentage", rule: /1-100/ },
  { when: "kube-proxy is built for another Kubernetes minor", mutate: (r) => (production(r).cluster.addonVersions = { ...production(r).cluster.addonVersions, kubeProxy: "v1.34.6-eksbuild.2" }), path: "environments[1].cluster.addonVersions.kubeProxy", rule: /built for Kubernetes 1\.34, but kubernetesVersion is 1\.35/ },
  { when: "an add-on version is malformed", mutate: (r) => (staging(r).cluster.addonVersions = { ...staging(r).cluster.addonVersions, coreDns: "latest" }), path: "environments[0].cluster.addonVersions.coreDns", rule: /EKS add-on version/ },
  { when: "the service CIDR overlaps a VPC", mutate: (r) => (staging(r).cluster.serviceCidr = "10.64.0.0/16"), path: "environments[0].cluster.serviceCidr", rule: /overlaps the VPC 10\.64\.0\.0\/16 of staging\/us-east-1/ },
  { when: "the public endpoint would be open to the internet", mutate: (r) => (staging(r).cluster.publicAccessCidrs = ["0.0.0.0/0"]), path: "environments[0].cluster.publicAccessCidrs[0]", rule: /opens the API endpoint/ },
  { when: "the GitOps hub's own environment has not joined the hub", mutate: (r) => (production(r).joinedToHub = false), path: "environments[1].joinedToHub", rule: /production runs the GitOps hub \(gitopsHub.environment\): the hub's own environment is always joined/ },
  { when: "a GitOps spoke's API endpoint is public", mutate: (r) => (staging(r).cluster.publicAccessCidrs = ["203.0.113.0/24"]), path: "environments[0].cluster.publicAccessCidrs", rule: /staging\/us-east-1, staging\/us-west-2 are GitOps spokes: the hub \(production\/us-east-1\) reaches spokes over VPC peering, which needs a private-only API endpoint/ },
  { when: "an admin role ARN is malformed", mutate: (r) => (production(r).cluster.adminRoleArns = ["platform-admin"]), path: "environments[1].cluster.adminRoleArns[0]", rule: /IAM role ARN/ },
  { when: "no admin role is configured", mutate: (r) => (production(r).cluster.adminRoleArns = []), path: "environments[1].cluster.adminRoleArns", rule: /at least one admin role/ },
  { when: "the control-plane log retention is not a CloudWatch period", mutate: (r) => (production(r).cluster.logRetentionDays = 100), path: "environments[1].cluster.logRetentionDays", rule: /CloudWatch Logs retention period/ },
  { when: "a TLS ingress has no certificate for a region", mutate: (r) => Object.assign(production(r).ingress, { protocol: "TLS", certificateArns: { "us-east-1": "arn:aws:acm:us-east-1:333333333333:certificate/abc" } }), path: "environments[1].ingress.certificateArns", rule: /no certificate for eu-west-1/ },
  { when: "a certificate belongs to another region", mutate: (r) => Object.assign(production(r).ingress, { protocol: "TLS", certificateArns: { "us-east-1": "arn:aws:acm:us-east-1:333333333333:certificate/a", "eu-west-1": "arn:aws:acm:us-east-1:333333333333:certificate/b" } }), path: "environments[1].ingress.certificateArns.eu-west-1", rule: /ACM certificates are regional/ },
  { when: "the ingress health check path is longer than ELB allows", mutate: (r) => (production(r).ingress.healthCheckPath = `/${"a".repeat(1024)}`), path: "environments[1].ingress.healthCheckPath", rule: /^is 1025 characters; ELB allows at most 1024$/ },
  { when: "the ingress health check path has a space", mutate: (r) => (production(r).ingress.healthCheckPath = "/health check"), path: "environments[1].ingress.healthCheckPath", rule: /^must be an absolute HTTP path such as \/healthz/ },
  { when: "the ingress port is out of range", mutate: (r) => (production(r).ingress.port = 0), path: "environments[1].ingress.port", rule: /port 1-65535/ },
  { when: "an alert email is not an address", mutate: (r) => (production(r).cluster.alertEmails = ["oncall"]), path: "environments[1].cluster.alertEmails[0]", rule: /must be an email address/ },
  { when: "a hosted zone id is malformed", mutate: (r) => (production(r).cluster.externalDnsHostedZoneIds = ["example.com"]), path: "environments[1].cluster.externalDnsHostedZoneIds[0]", rule: /hosted zone id/ },
  { when: "there are no environments", mutate: (r) => (r.environments = []), path: "environments", rule: /at least one environment/ },
  // Data layer: homeRegion, the Aurora global database and the DynamoDB global tables.
  { when: "homeRegion is not one of the environment's regions", mutate: (r) => (staging(r).homeRegion = "us-west-1"), path: "environments[0].homeRegion", rule: /has no entry in regions \(listed: us-east-1, us-west-2\)/ },
  { when: "homeRegion is an unknown region", mutate: (r) => (production(r).homeRegion = "eu-west-9"), path: "environments[1].homeRegion", rule: /unknown region/ },
  { when: "the Aurora engine version is not major.minor", mutate: (r) => (production(r).database.engineVersion = "16"), path: "environments[1].database.engineVersion", rule: /must be an Aurora PostgreSQL version such as 16\.6/ },
  { when: "the Aurora major version is unsupported", mutate: (r) => (production(r).database.engineVersion = "13.9"), path: "environments[1].database.engineVersion", rule: /unsupported major version; supported: 15, 16, 17/ },
  { when: "the instance class is burstable", mutate: (r) => (production(r).database.instanceClass = "db.t4g.medium"), path: "environments[1].database.instanceClass", rule: /memory-optimized Aurora class .*do not support db\.t\*/ },
  { when: "the instance class is serverless", mutate: (r) => (staging(r).database.instanceClass = "db.serverless"), path: "environments[0].database.instanceClass", rule: /memory-optimized Aurora class .*serverless/ },
  { when: "an instance class override is not a memory-optimized class", mutate: (r) => (production(r).database.instanceClassOverrides = { "eu-west-1": "db.t3.large" }), path: "environments[1].database.instanceClassOverrides.eu-west-1", rule: /memory-optimized Aurora class/ },
  { when: "an instance class override names a region outside regions", mutate: (r) => (production(r).database.instanceClassOverrides = { "us-west-2": "db.r7g.xlarge" }), path: "environments[1].database.instanceClassOverrides.us-west-2", rule: /names a region that is not in regions \(listed: us-east-1, eu-west-1\)/ },
  { when: "an instance class override names an unknown region", mutate: (r) => (production(r).database.instanceClassOverrides = { "eu-west-9": "db.r7g.xlarge" }), path: "environments[1].database.instanceClassOverrides.eu-west-9", rule: /names a region that is not in regions \(listed: us-east-1, eu-west-1\)/ },
  { when: "the secondary's class override is smaller than the writer's", mutate: (r) => (production(r).database.instanceClassOverrides = { "eu-west-1": "db.r7g.large" }), path: "environments[1].database.instanceClassOverrides.eu-west-1", rule: /leaves the secondary \(eu-west-1: db\.r7g\.large\) smaller than the writer \(us-east-1: db\.r7g\.xlarge\); the secondary must be able to take the writer's load/ },
  { when: "the writer's class override outgrows the secondary's class", mutate: (r) => (production(r).database.instanceClassOverrides = { "us-east-1": "db.r7g.2xlarge" }), path: "environments[1].database.instanceClassOverrides.us-east-1", rule: /leaves the secondary \(eu-west-1: db\.r7g\.xlarge\) smaller than the writer \(us-east-1: db\.r7g\.2xlarge\)/ },
  { when: "a backup window crossing midnight overlaps Monday's maintenance", mutate: (r) => Object.assign(production(r).database, { backupWindow: "23:45-00:15", maintenanceWindow: "mon:00:00-mon:00:30" }), path: "environments[1].database.maintenanceWindow", rule: /overlaps the daily backup window 23:45-00:15/ },
  { when: "a region would run a single database instance", mutate: (r) => (staging(r).database.instancesPerRegion = 1), path: "environments[0].database.instancesPerRegion", rule: /must be >= 2: the primary region needs a writer and a reader/ },
  { when: "a region would run more than 16 database instances", mutate: (r) => (production(r).database.instancesPerRegion = 17), path: "environments[1].database.instancesPerRegion", rule: /must be <= 16 \(one writer and 15 readers\)/ },
  { when: "the database name has upper-case letters", mutate: (r) => (production(r).database.databaseName = "Meridian"), path: "environments[1].database.databaseName", rule: /PostgreSQL identifier: lower-case letter first/ },
  { when: "the database name starts with a digit", mutate: (r) => (production(r).database.databaseName = "1meridian"), path: "environments[1].database.databaseName", rule: /PostgreSQL identifier: lower-case letter first/ },
  { when: "the master user is postgres", mutate: (r) => (production(r).database.masterUsername = "postgres"), path: "environments[1].database.masterUsername", rule: /reserved by RDS or PostgreSQL/ },
  { when: "the master user is an RDS-reserved name", mutate: (r) => (production(r).database.masterUsername = "rdsadmin"), path: "environments[1].database.masterUsername", rule: /reserved by RDS or PostgreSQL/ },
  { when: "the master password version is 0", mutate: (r) => (production(r).database.masterPasswordVersion = 0), path: "environments[1].database.masterPasswordVersion", rule: /must be >= 1/ },
  { when: "backups are kept for 1 day", mutate: (r) => (staging(r).database.backupRetentionDays = 1), path: "environments[0].database.backupRetentionDays", rule: /must be >= 2/ },
  { when: "backups are kept longer than Aurora allows", mutate: (r) => (staging(r).database.backupRetentionDays = 36), path: "environments[0].database.backupRetentionDays", rule: /must be <= 35 \(the Aurora maximum\)/ },
  { when: "production keeps backups for less than 7 days", mutate: (r) => (production(r).database.backupRetentionDays = 5), path: "environments[1].database.backupRetentionDays", rule: /must be >= 7 in production/ },
  { when: "the backup window is malformed", mutate: (r) => (staging(r).database.backupWindow = "7:00-8:00"), path: "environments[0].database.backupWindow", rule: /must be a UTC window such as 03:00-04:00/ },
  { when: "the maintenance window is malformed", mutate: (r) => (staging(r).database.maintenanceWindow = "tuesday:09:00-tuesday:10:00"), path: "environments[0].database.maintenanceWindow", rule: /must be a UTC window such as sun:05:00-sun:06:00/ },
  { when: "the maintenance window overlaps the daily backup window", mutate: (r) => Object.assign(staging(r).database, { backupWindow: "07:00-08:00", maintenanceWindow: "tue:07:30-tue:08:30" }), path: "environments[0].database.maintenanceWindow", rule: /overlaps the daily backup window 07:00-08:00; Aurora refuses overlapping windows/ },
  { when: "a maintenance window wrapping across the week overlaps Monday's backup", mutate: (r) => Object.assign(production(r).database, { backupWindow: "00:00-00:30", maintenanceWindow: "sun:23:30-mon:00:30" }), path: "environments[1].database.maintenanceWindow", rule: /overlaps the daily backup window 00:00-00:30/ },
  { when: "a backup window crossing midnight overlaps the maintenance window", mutate: (r) => Object.assign(production(r).database, { backupWindow: "23:30-00:30", maintenanceWindow: "wed:00:00-wed:01:00" }), path: "environments[1].database.maintenanceWindow", rule: /overlaps the daily backup window 23:30-00:30/ },
  { when: "the global database RPO is below 20 seconds", mutate: (r) => ((production(r).database as Loose).globalDbRpoSeconds = 10), path: "environments[1].database.globalDbRpoSeconds", rule: /must be 20\.\.2147483647 seconds/ },
  { when: "the enhanced monitoring interval is not an allowed value", mutate: (r) => (production(r).database.monitoringIntervalSeconds = 7), path: "environments[1].database.monitoringIntervalSeconds", rule: /must be one of 1, 5, 10, 15, 30, 60/ },
  { when: "the Performance Insights retention is not an allowed period", mutate: (r) => (production(r).database.performanceInsightsRetentionDays = 30), path: "environments[1].database.performanceInsightsRetentionDays", rule: /must be 7, a multiple of 31 up to 713, or 731/ },
  { when: "the PostgreSQL log retention is not a CloudWatch period", mutate: (r) => (production(r).database.logRetentionDays = 100), path: "environments[1].database.logRetentionDays", rule: /CloudWatch Logs retention period/ },
  { when: "a database setting is misspelt", mutate: (r) => ((production(r).database as Loose).backupRetention = 14), path: "environments[1].database", rule: /backupRetention/ },
  { when: "two key-value tables share a name", mutate: (r) => (production(r).keyValueTables[1]!.name = "sessions"), path: "environments[1].keyValueTables[1].name", rule: /duplicates another table's name/ },
  { when: "a table asks for PROVISIONED billing", mutate: (r) => ((staging(r).keyValueTables[0] as Loose).billingMode = "PROVISIONED"), path: "environments[0].keyValueTables[0].billingMode", rule: /PROVISIONED global tables need write auto scaling in every replica region/ },
  { when: "a table's sort key has the partition key's name", mutate: (r) => ((production(r).keyValueTables[1] as Loose).sortKey = { name: "flag", type: "S" }), path: "environments[1].keyValueTables[1].sortKey.name", rule: /must differ from the partition key/ },
  { when: "a table name is too short", mutate: (r) => (production(r).keyValueTables[0]!.name = "ab"), path: "environments[1].keyValueTables[0].name", rule: /must be 3-200 characters of letters, digits, _ \. -/ },
  { when: "a table name has characters DynamoDB refuses", mutate: (r) => (production(r).keyValueTables[0]!.name = "user sessions"), path: "environments[1].keyValueTables[0].name", rule: /must be 3-200 characters/ },
  { when: "a key attribute has an unknown type", mutate: (r) => (production(r).keyValueTables[0]!.partitionKey.type = "M"), path: "environments[1].keyValueTables[0].partitionKey.type", rule: /Invalid option: expected one of "S"\|"N"\|"B"/ },
  // Edge: Global Accelerator and its Route 53 names. Each of these breaks exactly one rule (checked below).
  { when: "an accelerator listener port differs from ingress.port", mutate: (r) => (edgeOf(production(r)).listeners[0].port = 8443), path: "environments[1].edge.listeners[0].port", rule: /^must equal the regional NLB's listener port \(443\): the accelerator forwards to its endpoints on the listener's port$/ },
  { when: "an accelerator listener is UDP", mutate: (r) => (edgeOf(production(r)).listeners[0].protocol = "UDP"), path: "environments[1].edge.listeners[0].protocol", rule: /^cannot reach the regional NLB, which listens on TCP$/ },
  { when: "two accelerator listeners are the same", mutate: (r) => edgeOf(staging(r)).listeners.push({ port: 443, protocol: "TCP", clientAffinity: "SOURCE_IP" }), path: "environments[0].edge.listeners[1].port", rule: /^duplicates another listener's port$/ },
  { when: "the accelerator health check port differs from ingress.port", mutate: (r) => (edgeOf(production(r)).healthCheck.port = 8443), path: "environments[1].edge.healthCheck.port", rule: /^must be the NLB's listener port 443: health checks reach the endpoint through the same listener as traffic$/ },
  { when: "the accelerator health check is HTTP while the NLB terminates TLS", mutate: (r) => { Object.assign(production(r).ingress, TLS_INGRESS); edgeOf(production(r)).healthCheck.protocol = "HTTP"; }, path: "environments[1].edge.healthCheck.protocol", rule: /^cannot succeed: the NLB listener terminates TLS; use HTTPS \(or TCP\)$/ },
  { when: "an HTTPS accelerator health check has no path", mutate: (r) => delete edgeOf(production(r)).healthCheck.path, path: "environments[1].edge.healthCheck.path", rule: /^is required for an HTTPS health check$/ },
  { when: "a TCP accelerator health check has a path", mutate: (r) => (edgeOf(staging(r)).healthCheck.path = "/healthz"), path: "environments[0].edge.healthCheck.path", rule: /^only applies to HTTP and HTTPS health checks$/ },
  { when: "the accelerator health check interval is 20 seconds", mutate: (r) => (edgeOf(staging(r)).healthCheck.intervalSeconds = 20), path: "environments[0].edge.healthCheck.intervalSeconds", rule: /^must be 10 or 30 seconds$/ },
  { when: "the accelerator health check threshold is 0", mutate: (r) => (edgeOf(staging(r)).healthCheck.thresholdCount = 0), path: "environments[0].edge.healthCheck.thresholdCount", rule: /^must be 1-10$/ },
  { when: "the accelerator health check threshold is 11", mutate: (r) => (edgeOf(production(r)).healthCheck.thresholdCount = 11), path: "environments[1].edge.healthCheck.thresholdCount", rule: /^must be 1-10$/ },
  { when: "a traffic dial names a region outside regions", mutate: (r) => (edgeOf(production(r)).trafficDials = { "us-east-1": 100, "us-west-2": 50 }), path: "environments[1].edge.trafficDials.us-west-2", rule: /^names a region that is not in regions \(listed: us-east-1, eu-west-1\); every region gets exactly one endpoint group$/ },
  { when: "an endpoint weight names a region outside regions", mutate: (r) => (edgeOf(staging(r)).endpointWeights = { "eu-west-1": 200 }), path: "environments[0].edge.endpointWeights.eu-west-1", rule: /^names a region that is not in regions \(listed: us-east-1, us-west-2\); every region gets exactly one endpoint group$/ },
  { when: "every traffic dial is 0", mutate: (r) => (edgeOf(production(r)).trafficDials = { "us-east-1": 0, "eu-west-1": 0 }), path: "environments[1].edge.trafficDials", rule: /^sets every region's dial to 0: the accelerator would accept no traffic at all$/ },
  { when: "a traffic dial is 101", mutate: (r) => (edgeOf(production(r)).trafficDials["eu-west-1"] = 101), path: "environments[1].edge.trafficDials.eu-west-1", rule: /^must be 0-100$/ },
  { when: "an endpoint weight is 256", mutate: (r) => (edgeOf(production(r)).endpointWeights = { "us-east-1": 256 }), path: "environments[1].edge.endpointWeights.us-east-1", rule: /^must be 0-255$/ },
  { when: "the edge hosted zone id is malformed", mutate: (r) => (edgeOf(production(r)).dns.hostedZoneId = "meridian.example.com"), path: "environments[1].edge.dns.hostedZoneId", rule: /^must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ$/ },
  { when: "the edge record name has upper-case letters", mutate: (r) => (edgeOf(staging(r)).dns.recordName = "Staging.meridian.example.com"), path: "environments[0].edge.dns.recordName", rule: /^must be a lower-case DNS name such as app\.example\.com$/ },
  { when: "the latency record name equals the record name", mutate: (r) => (edgeOf(production(r)).dns.latencyRecordName = "app.meridian.example.com"), path: "environments[1].edge.dns.latencyRecordName", rule: /^must differ from recordName$/ },
  { when: "the Route 53 health check interval is 20 seconds", mutate: (r) => (edgeOf(production(r)).dns.healthCheckIntervalSeconds = 20), path: "environments[1].edge.dns.healthCheckIntervalSeconds", rule: /^must be 10 or 30 seconds$/ },
  { when: "the Route 53 health check failure threshold is 11", mutate: (r) => (edgeOf(production(r)).dns.healthCheckFailureThreshold = 11), path: "environments[1].edge.dns.healthCheckFailureThreshold", rule: /^must be 1-10$/ },
  {
    when: "the deploy role is a role of another account",
    mutate: (r) => ((staging(r) as Loose).deployRoleArn = "arn:aws:iam::333333333333:role/deploy"),
    path: "environments[0].deployRoleArn",
    rule: /^is a role of account 333333333333; it must be a role of the environment's account 222222222222$/,
  },
  {
    when: "the plan role is a role of another account",
    mutate: (r) => ((production(r) as Loose).planRoleArn = "arn:aws:iam::111111111111:role/plan"),
    path: "environments[1].planRoleArn",
    rule: /is a role of account 111111111111; it must be a role of the environment's account 333333333333$/,
  },
  {
    when: "the deploy role is in another partition",
    mutate: (r) => ((staging(r) as Loose).deployRoleArn = "arn:aws-cn:iam::222222222222:role/deploy"),
    path: "environments[0].deployRoleArn",
    rule: /is in partition aws-cn; the environment's regions are in aws$/,
  },
  { when: "the plan role is not a role ARN", mutate: (r) => ((staging(r) as Loose).planRoleArn = "arn:aws:iam::222222222222:user/plan"), path: "environments[0].planRoleArn", rule: /^must be an IAM role ARN/ },
];

/** The edge cases of `CASES`: each must report its one problem and nothing else. */
const EDGE_CASES = CASES.filter((c) => /^environments\[\d+\]\.edge(\.|$)/.test(c.path));

describe("catalogue validation", () => {
  test.each(CASES)("throws when $when", ({ mutate, path, rule }) => {
    // GIVEN the built-in catalogue with one bad setting
    const raw = rawCatalogue();
    mutate(raw);

    // WHEN it is loaded
    const load = () => loadCatalogue(raw);

    // THEN it is rejected, naming the setting and the rule
    expect(load).toThrow(ConfigError);
    const problems = catchProblems(load);
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ path, rule: expect.stringMatching(rule) })]));
  });

  test.each(EDGE_CASES)("reports only its own problem when $when", ({ mutate, path }) => {
    // GIVEN the built-in catalogue with one bad edge setting
    const raw = rawCatalogue();
    mutate(raw);

    // WHEN it is loaded THEN exactly one problem is reported, at the stated path
    expect(catchProblems(() => loadCatalogue(raw)).map((p) => p.path)).toEqual([path]);
  });

  test("the edge cases cover at least 14 settings", () => {
    expect(EDGE_CASES.length).toBeGreaterThanOrEqual(14);
  });

  test("the error message names the path, the value and the rule", () => {
    const raw = rawCatalogue();
    raw.environments[1]!.accountId = "12345";
    expect(() => loadCatalogue(raw)).toThrow(
      'environments[1].accountId = "12345": must be a 12-digit AWS account id',
    );
  });

  test("reports every problem at once", () => {
    const raw = rawCatalogue();
    raw.environments[0]!.primaryRegion = "nowhere-1";
    raw.environments[1]!.accountId = "1";
    const problems = catchProblems(() => loadCatalogue(raw));
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(["environments[0].primaryRegion", "environments[1].accountId"]));
  });

  test("names a missing value as missing", () => {
    const raw: Loose = rawCatalogue();
    delete raw.environments[0].costCenter;
    expect(() => loadCatalogue(raw)).toThrow("environments[0].costCenter = (missing)");
  });

  test("throws when ENVIRONMENTS names an unknown environment", () => {
    expect(() => selectEnvironments(validCatalogue(), "production,qa")).toThrow(
      'ENVIRONMENTS = "qa": names no environment; known: staging, production',
    );
  });
});

describe("data-layer settings that are accepted", () => {
  test("a maintenance window that starts when the backup window ends does not overlap it", () => {
    // GIVEN a backup window 07:00-08:00 and a maintenance window right after it
    const raw = rawCatalogue();
    Object.assign(production(raw).database, { backupWindow: "07:00-08:00", maintenanceWindow: "tue:08:00-tue:09:00" });

    // WHEN it is loaded THEN it is accepted with both windows unchanged
    expect(loadCatalogue(raw).catalogue.environments[1]!.database).toMatchObject({ backupWindow: "07:00-08:00", maintenanceWindow: "tue:08:00-tue:09:00" });
  });

  test("a maintenance window that ends when the backup window starts does not overlap it", () => {
    const raw = rawCatalogue();
    Object.assign(production(raw).database, { backupWindow: "07:00-08:00", maintenanceWindow: "tue:06:00-tue:07:00" });
    expect(() => loadCatalogue(raw)).not.toThrow();
  });

  test("a secondary with a larger instance class than the writer is accepted", () => {
    // GIVEN production's secondary (eu-west-1) overridden to a larger class than the writer's db.r7g.xlarge
    const raw = rawCatalogue();
    (production(raw).database as Loose).instanceClassOverrides = { "eu-west-1": "db.r7g.2xlarge" };

    // WHEN it is loaded
    const database = loadCatalogue(raw).catalogue.environments[1]!.database!;

    // THEN the override is kept
    expect(database.instanceClassOverrides).toEqual({ "eu-west-1": "db.r7g.2xlarge" });
  });

  test("an environment without database and key-value tables gets no global-database stack", () => {
    // GIVEN staging with no database and no key-value tables
    const catalogue = validCatalogue((raw) => {
      delete (staging(raw) as Loose).database;
      staging(raw).keyValueTables = [];
    });
    expect(catalogue.environments[0]!.database).toBeUndefined();

    // WHEN the app is built (its stacks are the synthesized ones)
    const names = stackNames(catalogue);

    // THEN staging has only its regional stacks; production is unchanged
    expect(names).not.toContain("staging-global-database");
    expect(names).toEqual(expect.arrayContaining(["staging-regional-us-east-1", "staging-regional-us-west-2", "production-global-database"]));
  });

  test("key-value tables without a database still get a global-database stack, with the tables but no global cluster", () => {
    // GIVEN staging with key-value tables but no database
    const catalogue = validCatalogue((raw) => delete (staging(raw) as Loose).database);

    // WHEN the app is synthesized
    const stacks = synthStacks(catalogue);

    // THEN the global-database stack holds the tables and the key, and no Aurora or master secret
    const globalData = stacks.get("staging-global-database")!;
    expect(resourcesOf(globalData, "aws_dynamodb_table").map((t) => t.name)).toEqual(["meridian-staging-sessions"]);
    expect(resourcesOf(globalData, "aws_kms_key")).toHaveLength(1);
    expect(resourcesOf(globalData, "aws_rds_global_cluster")).toEqual([]);
    expect(resourcesOf(globalData, "aws_secretsmanager_secret")).toEqual([]);
    // (production, which keeps its database, does have both)
    expect(resourcesOf(stacks.get("production-global-database")!, "aws_rds_global_cluster")).toHaveLength(1);
    expect(resourcesOf(stacks.get("production-global-database")!, "aws_secretsmanager_secret")).toHaveLength(1);
    expect(stacks.has("staging-regional-us-east-1")).toBe(true);
  });
});

describe("edge settings that are accepted", () => {
  test("draining one region (its dial at 0) is accepted, and the other region keeps its dial", () => {
    // GIVEN production with eu-west-1 drained
    const raw = rawCatalogue();
    edgeOf(production(raw)).trafficDials["eu-west-1"] = 0;

    // WHEN it is loaded
    const edge = loadCatalogue(raw).catalogue.environments[1]!.edge!;

    // THEN both dials are kept as written
    expect(edge.trafficDials).toEqual({ "us-east-1": 100, "eu-west-1": 0 });
  });

  test("a region missing from trafficDials counts as 100, so draining the only listed region is accepted", () => {
    const raw = rawCatalogue();
    edgeOf(production(raw)).trafficDials = { "eu-west-1": 0 };
    expect(loadCatalogue(raw).catalogue.environments[1]!.edge!.trafficDials).toEqual({ "eu-west-1": 0 });
  });

  test("an HTTPS health check behind a TLS ingress with a certificate per region is accepted", () => {
    const raw = rawCatalogue();
    Object.assign(production(raw).ingress, TLS_INGRESS);
    expect(loadCatalogue(raw).catalogue.environments[1]!.edge!.healthCheck).toMatchObject({ protocol: "HTTPS", path: "/healthz" });
  });

  test("an environment without edge settings gets no edge stack", () => {
    // GIVEN staging without edge
    const catalogue = validCatalogue((raw) => delete (staging(raw) as Loose).edge);
    expect(catalogue.environments[0]!.edge).toBeUndefined();

    // WHEN the app is built (its stacks are the synthesized ones)
    const names = stackNames(catalogue);

    // THEN staging has no edge stack but keeps its regional stacks; production keeps its edge stack
    expect(names).not.toContain("staging-edge");
    expect(names).toEqual(expect.arrayContaining(["staging-regional-us-east-1", "staging-regional-us-west-2", "production-edge"]));
  });
});

function catchProblems(fn: () => unknown): ConfigError["problems"] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error("expected a ConfigError");
}

import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { planSubnets } from "@meridian/constructs";
import { auroraClusterIdentifier, clusterName, masterSecretName, regionalStackName, shortRegion } from "../src/config/naming";
import { environmentBackendAndProviders, type EnvironmentStackProps } from "./environment-stack";
import type { RegionConfig } from "../src/config/schema";
import { AuroraRegionalMember, type IAuroraGlobalDatabase } from "@meridian/constructs";
import { CONTROLLER_IDENTITIES, type ControllerName } from "@meridian/constructs";
import { RegionFailureDrill } from "@meridian/constructs";
import { AzFaultExperiment } from "@meridian/constructs";
import { clusterAutoscalerStatements, externalDnsStatements, loadBalancerControllerStatements } from "@meridian/constructs";
import { EksCluster, type IEksCluster } from "@meridian/constructs";
import { IrsaRole } from "@meridian/constructs";
import { ManagedNodeGroups } from "@meridian/constructs";
import { managedNodeGroupsOf } from "@meridian/constructs";
import { InterruptionQueue, interruptionEventsFor } from "@meridian/constructs";
import { KarpenterAwsResources } from "@meridian/constructs";
import { Network } from "@meridian/constructs";
import { ObservabilityAws } from "@meridian/constructs";
import { RegionalIngress } from "@meridian/constructs";
import { SharedFileSystem } from "@meridian/constructs";
import { installGitOpsAccess } from "./platform/gitops";
import { REGIONAL_OUTPUTS, type RegionalOutputName } from "./regional-outputs";

/**
 * The IRSA roles of the in-cluster controllers, by the library's controller identity. Only the
 * load balancer controller always has one; the others follow the environment (the autoscaler,
 * external-dns's hosted zones), so a reader must handle their absence.
 */
export type ControllerRoles<Role = IrsaRole> = { readonly loadBalancerController: Role } & { readonly [name in Exclude<ControllerName, "loadBalancerController">]?: Role };

/**
 * What the stacks built on one region (its platform stack, its link to the GitOps hub) read of
 * it: handles to its resources, not the stack that made them. `RegionalStack` is one; a region
 * whose resources another state owns is another (`EksCluster.fromClusterAttributes` and plain
 * strings).
 */
export interface RegionalHandles {
  /** The name of the stack that owns the region's resources, for messages. */
  readonly stackName: string;
  /** The region, e.g. `us-east-1`. */
  readonly region: string;
  /** The region's EKS cluster. */
  readonly cluster: IEksCluster;
  /** ARN of the KMS key that encrypts the cluster's volumes (EBS storage class, Karpenter's node volumes). */
  readonly volumeKeyArn: string;
  /** The cluster's VPC. */
  readonly vpcId: string;
  /** The private subnets' route tables, one per AZ. */
  readonly privateRouteTableIds: readonly string[];
  /** ARN of the ingress NLB's target group the cluster's ingress service registers in. */
  readonly ingressTargetGroupArn: string;
  /** The shared EFS file system of the EFS storage class. */
  readonly fileSystemId: string;
  /** Name of the SQS queue EC2 interruption and rebalance events arrive in (Karpenter reads it). */
  readonly interruptionQueueName: string;
  /** URL of that queue (the node termination handler reads it). */
  readonly interruptionQueueUrl: string;
  /** The in-cluster controllers' IRSA roles. */
  readonly controllerRoles: ControllerRoles<{ readonly arn: string }>;
  /** Karpenter's AWS side. @default - none: the region does not run Karpenter */
  readonly karpenterRoles?: { readonly controllerRoleArn: string; readonly nodeRoleName: string };
  /** The observability agents' AWS side: AMP remote write, the workload log group, each agent's role. */
  readonly observability: Pick<ObservabilityAws, "remoteWriteUrl" | "workloadLogGroupName" | "roleArns">;
}

export interface RegionalStackProps extends EnvironmentStackProps {
  readonly region: RegionConfig;
  /** The environment's global data (its `GlobalDatabaseStack`); required when the environment has a database. @default - none */
  readonly globalData?: GlobalDataHandle;
}

/** What a regional stack reads of the environment's global data: a handle, not the stack that owns it. */
export interface GlobalDataHandle {
  /** The global database the region's Aurora cluster joins. @default - none: the environment has no database */
  readonly globalDatabase?: IAuroraGlobalDatabase;
  /** ARN of the KMS key that encrypts the environment's data in `region`. */
  keyArnFor(region: string): string;
}

/**
 * Everything an environment runs in one region: the network, the EKS cluster with its node
 * groups, the AWS side of autoscaling and interruption handling, shared storage, the
 * Terraform-owned ingress NLB, and an AZ-loss experiment to prove the multi-AZ claims.
 */
export class RegionalStack extends TerraformStack implements RegionalHandles {
  /** The AWS region this stack lives in. */
  readonly region: string;
  readonly network: Network;
  readonly cluster: EksCluster;
  readonly nodeGroups: ManagedNodeGroups;
  readonly ingress: RegionalIngress;
  readonly interruptionQueue: InterruptionQueue;
  /** This region's Aurora global database member, when the environment has a database. */
  readonly database?: AuroraRegionalMember;
  /** IRSA roles of the in-cluster controllers (the observability agents' are `observability.roles`). */
  readonly controllerRoles: ControllerRoles;
  /** Karpenter's AWS side, when the environment uses Karpenter. */
  readonly karpenter?: KarpenterAwsResources;
  /** AMP workspace, workload log group and the agents' IRSA roles. */
  readonly observability: ObservabilityAws;
  /** Shared EFS file system for the EFS CSI driver's storage class. */
  readonly fileSystem: SharedFileSystem;

  constructor(scope: Construct, props: RegionalStackProps) {
    const { catalogue, environment, region } = props;
    const id = regionalStackName(environment.name, region.region);
    const globalData = props.globalData;
    // Before anything is built: the region's Aurora member joins the environment's global database.
    if (environment.database && !globalData?.globalDatabase) {
      throw new Error(`RegionalStack ${id}: environment ${environment.name} has a database, so globalData must hold its global database`);
    }
    super(scope, id);
    this.region = region.region;
    environmentBackendAndProviders(this, props, { homeRegion: region.region });
    const partition = new DataAwsPartition(this, "partition").partition;
    const production = environment.tier === "production";
    const name = clusterName(catalogue.project, environment.name, region.region);
    const context = { partition, accountId: environment.accountId, region: region.region, clusterName: name };

    this.network = new Network(this, "network", {
      name,
      region: region.region,
      accountId: environment.accountId,
      vpcCidr: region.vpcCidr,
      subnets: planSubnets(region.vpcCidr, region.availabilityZones),
      natGateways: environment.natGateways,
      clusterName: name,
      flowLogRetentionDays: production ? 365 : 30,
    });
    const privateSubnets = this.network.privateSubnets;

    this.cluster = new EksCluster(this, "cluster", {
      clusterName: name,
      kubernetesVersion: environment.kubernetesVersion,
      accountId: environment.accountId,
      partition,
      region: region.region,
      subnets: privateSubnets,
      adminRoleArns: environment.cluster.adminRoleArns,
      addonVersions: environment.cluster.addonVersions,
      publicAccessCidrs: environment.cluster.publicAccessCidrs,
      logRetentionDays: environment.cluster.logRetentionDays,
      serviceCidr: environment.cluster.serviceCidr,
    });
    this.nodeGroups = new ManagedNodeGroups(this, "node-groups", {
      clusterName: this.cluster.cluster.name,
      partition,
      subnets: privateSubnets,
      // Under Karpenter only the system class is a managed group; the other classes are NodePools.
      groups: managedNodeGroupsOf(environment.cluster.autoscaler, environment.nodeGroups),
      kubernetesVersion: environment.kubernetesVersion,
      amiReleaseVersions: environment.nodeAmiReleaseVersions,
      volumeKeyArn: this.cluster.storageKey.arn,
      dependsOn: this.cluster.networkingAddons,
    });
    this.cluster.installWorkloadAddons(this.nodeGroups.groups.map((g) => g.nodeGroup));

    // One interruption queue, read by exactly one handler: Karpenter, or NTH in queue mode.
    this.interruptionQueue = new InterruptionQueue(this, "interruption", {
      queueName: `${name}-interruption`,
      events: interruptionEventsFor(environment.cluster.autoscaler),
    });
    const roles: { -readonly [controller in ControllerName]?: IrsaRole } = {};
    const irsa = (controller: ControllerName, statements: DataAwsIamPolicyDocumentStatement[]) => {
      const { roleId, namespace, serviceAccount } = CONTROLLER_IDENTITIES[controller];
      const role = new IrsaRole(this, roleId, { roleName: `${name}-${roleId}`, issuer: this.cluster.issuer, namespace, serviceAccount, statements });
      roles[controller] = role;
      return role;
    };

    let karpenter: KarpenterAwsResources | undefined;
    if (environment.cluster.autoscaler === "karpenter") {
      karpenter = this.karpenter = new KarpenterAwsResources(this, "karpenter", {
        partition,
        accountId: environment.accountId,
        region: region.region,
        cluster: this.cluster,
        interruptionQueueArn: this.interruptionQueue.queue.arn,
      });
    } else {
      irsa("clusterAutoscaler", clusterAutoscalerStatements(context));
      // The queue carries only AWS Health scheduled changes (no ASG lifecycle events: EKS drains
      // managed nodes on its own terminations), so the handler completes no lifecycle action.
      irsa("nodeTerminationHandler", [
        {
          sid: "ReadInterruptionQueue",
          effect: "Allow",
          actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
          resources: [this.interruptionQueue.queue.arn],
        },
        {
          sid: "DescribeNodes",
          effect: "Allow",
          actions: ["autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeTags", "ec2:DescribeInstances"],
          resources: ["*"],
        },
      ]);
    }
    const loadBalancerController = irsa("loadBalancerController", loadBalancerControllerStatements(context));
    const zoneIds = environment.cluster.externalDnsHostedZoneIds;
    const externalDns =
      zoneIds.length > 0
        ? irsa("externalDns", externalDnsStatements({ ...context, hostedZoneArns: zoneIds.map((zone) => `arn:${partition}:route53:::hostedzone/${zone}`) }))
        : undefined;
    this.controllerRoles = { ...roles, loadBalancerController };

    // Observability (issue 6): AMP workspace, workload log group and the agents' IRSA roles; the platform stack reads them.
    const observability = (this.observability = new ObservabilityAws(this, "observability", { ...context, issuer: this.cluster.issuer, kmsKeyArn: this.cluster.storageKey.arn, logRetentionDays: environment.cluster.logRetentionDays, alertEmails: environment.cluster.alertEmails }));
    // Every alarm of the region pages through the region's alert topic, as Alertmanager's alerts do.
    const alarmActions = [observability.alertTopic.arn];

    const fileSystem = (this.fileSystem = new SharedFileSystem(this, "shared-file-system", {
      name,
      vpcId: this.network.vpc.id,
      subnets: privateSubnets,
      clientSecurityGroupIds: [this.cluster.clusterSecurityGroupId],
      kmsKeyArn: this.cluster.storageKey.arn,
    }));

    this.ingress = new RegionalIngress(this, "ingress", {
      name: `${catalogue.project}-${environment.name}-${shortRegion(region.region)}`,
      region: region.region,
      vpcId: this.network.vpc.id,
      vpcCidr: region.vpcCidr,
      publicSubnetIds: this.network.publicSubnets.map((s) => s.id),
      targetSecurityGroupId: this.cluster.clusterSecurityGroupId,
      listenerPort: environment.ingress.port,
      targetPort: environment.ingress.targetPort,
      protocol: environment.ingress.protocol,
      certificateArn: environment.ingress.certificateArns[region.region],
      healthCheckPath: environment.ingress.healthCheckPath,
      alarmActions,
      deletionProtection: production,
    });

    const db = environment.database;
    const memberIdentifier = auroraClusterIdentifier(catalogue.project, environment.name, region.region);
    if (db && globalData?.globalDatabase) {
      const writer = region.region === environment.primaryRegion;
      this.database = new AuroraRegionalMember(this, "aurora", {
        clusterIdentifier: memberIdentifier,
        region: region.region,
        role: writer ? "writer" : "reader",
        writerRegion: environment.primaryRegion,
        globalCluster: globalData.globalDatabase,
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClassOverrides[region.region] ?? db.instanceClass,
        instanceCount: db.instancesPerRegion,
        availabilityZones: region.availabilityZones,
        vpcId: this.network.vpc.id,
        subnetIds: this.network.databaseSubnets.map((s) => s.id),
        clientSecurityGroupIds: [this.cluster.clusterSecurityGroupId],
        kmsKeyArn: globalData.keyArnFor(region.region),
        // Both members carry the writer's settings; a reader ignores them, and a flip needs no edit.
        writer: {
          databaseName: db.databaseName,
          masterUsername: db.masterUsername,
          masterSecretName: masterSecretName(catalogue.project, environment.name),
          masterPasswordVersion: db.masterPasswordVersion,
        },
        backupRetentionDays: db.backupRetentionDays,
        backupWindow: db.backupWindow,
        maintenanceWindow: db.maintenanceWindow,
        parameters: { logMinDurationStatementMs: db.logMinDurationStatementMs, globalDbRpoSeconds: db.globalDbRpoSeconds },
        monitoringIntervalSeconds: db.monitoringIntervalSeconds,
        performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
        logRetentionDays: db.logRetentionDays,
        writeForwarding: db.writeForwarding,
        replicationLagAlarmMs: db.replicationLagAlarmMs,
        alarmActions,
        partition,
        accountId: environment.accountId,
      });
    }

    if (this.database) {
      // Rehearses losing the region (ingress cut; writer failover where the writer is) while
      // `npm run smoke-check` measures recovery through the accelerator.
      new RegionFailureDrill(this, "region-failure-drill", {
        name,
        region: region.region,
        accountId: environment.accountId,
        partition,
        auroraClusterIdentifier: memberIdentifier,
        auroraRole: region.region === environment.primaryRegion ? "writer" : "reader",
        publicSubnetArns: this.network.publicSubnets.map((s) => s.arn),
        failoverStopAlarmArn: this.ingress.noHealthyTargetsAlarm.arn,
        ingressLossStopAlarmArn: this.database.replicationLagAlarm.arn,
      });
    }

    const faultZone = region.availabilityZones[0]!;
    new AzFaultExperiment(this, "az-fault", {
      name,
      partition,
      accountId: environment.accountId,
      clusterName: name,
      availabilityZone: faultZone,
      subnetArns: [this.network.privateSubnets[0]!.arn, this.network.publicSubnets[0]!.arn, this.network.databaseSubnets[0]!.arn],
      stopConditionAlarmArn: this.ingress.noHealthyTargetsAlarm.arn,
    });

    installGitOpsAccess(this, { catalogue, environment, region: region.region, partition, cluster: this.cluster }); // GitOps (issue 6): spoke access role + access entry; on the hub, the Argo CD and Crossplane IRSA roles
    const output = (outputName: RegionalOutputName, value: unknown, description: string) => new TerraformOutput(this, outputName, { value, description });
    output(REGIONAL_OUTPUTS.ampWorkspaceId, observability.workspace.id, "Amazon Managed Service for Prometheus workspace of this cluster");
    output(REGIONAL_OUTPUTS.ampWorkspaceEndpoint, observability.workspace.prometheusEndpoint, "AMP Prometheus endpoint (remote write: <endpoint>api/v1/remote_write; Grafana data source URL)");
    output(REGIONAL_OUTPUTS.alertTopicArn, observability.alertTopic.arn, "SNS topic Alertmanager publishes this cluster's alerts to; subscribe paging and chat here");
    output(REGIONAL_OUTPUTS.workloadLogGroupName, observability.workloadLogGroup.name, "CloudWatch log group of this cluster's container logs");
    output(REGIONAL_OUTPUTS.clusterName, this.cluster.cluster.name, "EKS cluster name");
    output(REGIONAL_OUTPUTS.clusterEndpoint, this.cluster.cluster.endpoint, "Kubernetes API endpoint");
    output(REGIONAL_OUTPUTS.clusterCertificateAuthority, this.cluster.cluster.certificateAuthority.get(0).data, "Base64 cluster CA certificate");
    output(REGIONAL_OUTPUTS.clusterSecurityGroupId, this.cluster.clusterSecurityGroupId, "Security group of the control plane and managed nodes");
    output(REGIONAL_OUTPUTS.oidcProviderArn, this.cluster.issuer.providerArn, "IRSA OIDC provider ARN");
    output(REGIONAL_OUTPUTS.vpcId, this.network.vpc.id, "VPC id");
    output(REGIONAL_OUTPUTS.privateRouteTableIds, this.network.privateRouteTables.map((t) => t.id), "Route tables of the private subnets, one per AZ (the GitOps hub network routes to the spokes from these)");
    output(REGIONAL_OUTPUTS.privateSubnetIds, this.network.privateSubnets.map((s) => s.id), "Node and pod subnets, one per AZ");
    output(REGIONAL_OUTPUTS.publicSubnetIds, this.network.publicSubnets.map((s) => s.id), "Load balancer subnets, one per AZ");
    output(REGIONAL_OUTPUTS.databaseSubnetIds, this.network.databaseSubnets.map((s) => s.id), "Database subnets, one per AZ");
    output(REGIONAL_OUTPUTS.nlbArn, this.ingress.loadBalancer.arn, "Ingress NLB ARN (Global Accelerator endpoint)");
    output(REGIONAL_OUTPUTS.nlbTargetGroupArn, this.ingress.targetGroup.arn, "Target group the load balancer controller binds the ingress Service to");
    output(REGIONAL_OUTPUTS.interruptionQueueName, this.interruptionQueue.queue.name, "SQS queue of interruption events");
    output(REGIONAL_OUTPUTS.efsFileSystemId, fileSystem.fileSystem.id, "Shared EFS file system for the EFS CSI driver");
    output(REGIONAL_OUTPUTS.loadBalancerControllerRoleArn, loadBalancerController.arn, "IRSA role of the AWS Load Balancer Controller");
    if (this.database) {
      output(REGIONAL_OUTPUTS.auroraClusterEndpoint, this.database.cluster.endpoint, "Writer endpoint (resolves to the writer only in the primary region)");
      output(REGIONAL_OUTPUTS.auroraReaderEndpoint, this.database.cluster.readerEndpoint, "Reader endpoint of this region");
      output(REGIONAL_OUTPUTS.auroraClusterArn, this.database.cluster.arn, "Regional member cluster ARN");
      output(REGIONAL_OUTPUTS.auroraSecurityGroupId, this.database.securityGroup.id, "Security group of the Aurora member");
    }
    if (externalDns) {
      output(REGIONAL_OUTPUTS.externalDnsRoleArn, externalDns.arn, "IRSA role of external-dns");
    }
    if (karpenter) {
      output(REGIONAL_OUTPUTS.karpenterControllerRoleArn, karpenter.controllerRole.arn, "IRSA role of the Karpenter controller");
    }
  }

  get stackName(): string {
    return this.node.id;
  }

  get volumeKeyArn(): string {
    return this.cluster.storageKey.arn;
  }

  get vpcId(): string {
    return this.network.vpc.id;
  }

  get privateRouteTableIds(): readonly string[] {
    return this.network.privateRouteTables.map((table) => table.id);
  }

  get ingressTargetGroupArn(): string {
    return this.ingress.targetGroup.arn;
  }

  get fileSystemId(): string {
    return this.fileSystem.fileSystem.id;
  }

  get interruptionQueueName(): string {
    return this.interruptionQueue.queue.name;
  }

  get interruptionQueueUrl(): string {
    return this.interruptionQueue.queue.url;
  }

  get karpenterRoles(): RegionalHandles["karpenterRoles"] {
    return this.karpenter ? { controllerRoleArn: this.karpenter.controllerRole.arn, nodeRoleName: this.karpenter.nodeRole.name } : undefined;
  }
}

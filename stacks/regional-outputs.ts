/**
 * Names of the regional stack's Terraform outputs. The regional stack writes them, and the stacks
 * that read its state by key (the GitOps hub network) and the operations tooling read them: both
 * sides use these constants, so a rename cannot leave a reader asking for an output that is gone.
 * The values are the state's output names and must not change (a rename is a breaking change for
 * every reader of a deployed state).
 */
export const REGIONAL_OUTPUTS = {
  ampWorkspaceId: "amp_workspace_id",
  ampWorkspaceEndpoint: "amp_workspace_endpoint",
  alertTopicArn: "alert_topic_arn",
  workloadLogGroupName: "workload_log_group_name",
  clusterName: "cluster_name",
  clusterEndpoint: "cluster_endpoint",
  clusterCertificateAuthority: "cluster_certificate_authority",
  clusterSecurityGroupId: "cluster_security_group_id",
  oidcProviderArn: "oidc_provider_arn",
  vpcId: "vpc_id",
  privateRouteTableIds: "private_route_table_ids",
  privateSubnetIds: "private_subnet_ids",
  publicSubnetIds: "public_subnet_ids",
  databaseSubnetIds: "database_subnet_ids",
  nlbArn: "nlb_arn",
  nlbTargetGroupArn: "nlb_target_group_arn",
  interruptionQueueName: "interruption_queue_name",
  efsFileSystemId: "efs_file_system_id",
  loadBalancerControllerRoleArn: "load_balancer_controller_role_arn",
  auroraClusterEndpoint: "aurora_cluster_endpoint",
  auroraReaderEndpoint: "aurora_reader_endpoint",
  auroraClusterArn: "aurora_cluster_arn",
  auroraSecurityGroupId: "aurora_security_group_id",
  externalDnsRoleArn: "external_dns_role_arn",
  karpenterControllerRoleArn: "karpenter_controller_role_arn",
} as const;

/** The name of one of the regional stack's outputs. */
export type RegionalOutputName = (typeof REGIONAL_OUTPUTS)[keyof typeof REGIONAL_OUTPUTS];

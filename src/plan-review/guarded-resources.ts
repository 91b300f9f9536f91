import { STATEFUL_RESOURCE_TYPES } from "../verification/replacement-attributes";

/**
 * Resource types whose replacement or deletion loses data or identity, and what is lost. The
 * replacement gate fails a change that would replace or delete one, unless it is approved.
 */
export const GUARDED_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_rds_global_cluster: "the global database and every region's data",
  aws_rds_cluster: "the region's Aurora cluster and its data (a new, empty cluster would be created)",
  aws_rds_cluster_instance: "a database instance (connections drop; a writer replacement fails over)",
  aws_kms_key: "a customer-managed key: whatever it encrypts becomes unreadable once the key is deleted",
  aws_kms_replica_key: "a replica of the multi-Region key: this region's data keys",
  aws_secretsmanager_secret: "the master credentials' secret and its replicas",
  aws_dynamodb_table: "a DynamoDB table and its items",
  aws_vpc: "the VPC with every subnet and network interface in it; EKS cannot move a cluster to another VPC, so the cluster goes too",
  aws_eks_cluster: "the EKS cluster: every workload, in-cluster object and the API endpoint",
  aws_s3_bucket: "an S3 bucket and its objects (Terraform state, flow logs)",
  aws_efs_file_system: "the shared file system and its files",
  aws_globalaccelerator_accelerator: "the accelerator's static anycast IP addresses that clients and DNS point at",
  aws_prometheus_workspace: "the region's Managed Prometheus workspace and its metrics history",
  aws_cloudwatch_log_group: "the log group and every log in it (control plane, flow logs, database logs)",
  aws_eip: "a NAT gateway's public address, which partners may have allow-listed",
};

// Every type the primary-flip tests treat as stateful is guarded here too.
for (const type of STATEFUL_RESOURCE_TYPES) {
  if (!(type in GUARDED_RESOURCE_TYPES)) {
    throw new Error(`guarded-resources: ${type} is stateful (replacement-attributes.ts) but not guarded`);
  }
}

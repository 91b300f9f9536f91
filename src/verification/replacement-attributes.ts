/**
 * Arguments that force Terraform to replace a resource, per resource type, as the hashicorp/aws
 * provider (5.x) declares them (`ForceNew`, or a CustomizeDiff that forces new). The provider's
 * schema JSON does not expose this, so it is kept here, read from the provider sources, for the
 * resource types whose replacement would lose data or break clients.
 *
 * Used by the tests that prove a primary-region flip replaces nothing.
 */
export const REPLACEMENT_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_rds_global_cluster: ["database_name", "engine", "global_cluster_identifier", "source_db_cluster_identifier", "storage_encrypted"],
  aws_rds_cluster: [
    "availability_zones",
    "cluster_identifier",
    "cluster_identifier_prefix",
    "cluster_scalability_type",
    "database_name",
    "db_subnet_group_name",
    "db_system_id",
    "engine",
    "engine_mode",
    "kms_key_id",
    "master_username",
    "source_region",
    "storage_encrypted",
    "snapshot_identifier",
    "restore_to_point_in_time",
    "s3_import",
  ],
  aws_rds_cluster_instance: ["availability_zone", "cluster_identifier", "custom_iam_instance_profile", "db_subnet_group_name", "engine", "identifier", "identifier_prefix"],
  aws_kms_key: ["custom_key_store_id", "customer_master_key_spec", "key_usage", "multi_region", "xks_key_id"],
  aws_kms_replica_key: ["primary_key_arn"],
  aws_kms_alias: ["name", "name_prefix"],
  aws_db_subnet_group: ["name", "name_prefix"],
  aws_rds_cluster_parameter_group: ["description", "family", "name", "name_prefix"],
  aws_db_parameter_group: ["description", "family", "name", "name_prefix"],
  aws_secretsmanager_secret: ["name", "name_prefix"],
  aws_dynamodb_table: ["name", "hash_key", "range_key", "local_secondary_index", "restore_date_time", "restore_to_latest_time", "restore_source_name", "restore_source_table_arn"],
  aws_security_group: ["description", "name", "name_prefix", "vpc_id"],
  aws_cloudwatch_log_group: ["log_group_class", "name", "name_prefix"],
  aws_iam_role: ["name", "name_prefix", "path"],
  // `version`, `release_version`, labels, taints, scaling and launch_template.version update in
  // place (UpdateNodegroupVersion / UpdateNodegroupConfig, a rolling update of the nodes); so do
  // launch_template.id and .name not, which are nested and not listed here.
  aws_eks_node_group: ["ami_type", "capacity_type", "cluster_name", "disk_size", "instance_types", "node_group_name", "node_group_name_prefix", "node_role_arn", "remote_access", "subnet_ids"],
  aws_globalaccelerator_accelerator: [],
  aws_globalaccelerator_listener: ["accelerator_arn"],
  aws_globalaccelerator_endpoint_group: ["endpoint_group_region", "listener_arn"],
  // Route 53: what UpdateHealthCheck / a record change cannot alter in place.
  aws_route53_record: ["name", "zone_id", "set_identifier"],
  aws_route53_health_check: ["type", "request_interval", "measure_latency", "reference_name", "routing_control_arn"],
};

/** Resource types that hold data or identity: replacing or deleting one is an incident. */
export const STATEFUL_RESOURCE_TYPES = [
  "aws_rds_global_cluster",
  "aws_rds_cluster",
  "aws_rds_cluster_instance",
  "aws_kms_key",
  "aws_kms_replica_key",
  "aws_secretsmanager_secret",
  "aws_dynamodb_table",
] as const;

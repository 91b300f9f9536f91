import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { StateBackend } from "@meridian/constructs";

/** Team A's Terraform state: home in eu-west-1, replicated to eu-central-1, one CI pair with access. */
export class StateBackendExample extends TerraformStack {
  readonly backend: StateBackend;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const primaryProvider = new AwsProvider(this, "primary", { region: "eu-west-1", alias: "primary" });
    const replicaProvider = new AwsProvider(this, "replica", { region: "eu-central-1", alias: "replica" });
    this.backend = new StateBackend(this, "state", {
      accountId: "123456789012",
      bucketName: "team-a-tfstate-123456789012",
      replicaBucketName: "team-a-tfstate-123456789012-eu-central-1",
      lockTableName: "team-a-terraform-locks",
      primaryProvider,
      replicaProvider,
      replicaRegion: "eu-central-1",
      access: [
        {
          environment: "prod",
          writerRoleName: "team-a-prod-state-writer",
          readerRoleName: "team-a-prod-state-reader",
          deployRoleArn: "arn:aws:iam::210987654321:role/team-a-prod-deploy",
          planRoleArn: "arn:aws:iam::210987654321:role/team-a-prod-plan",
          ownKeyPrefix: "team-a/prod/",
          otherKeysRead: [],
        },
      ],
    });
  }
}

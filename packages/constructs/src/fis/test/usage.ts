import { FisExperimentTemplate } from "@cdktf/provider-aws/lib/fis-experiment-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import {
  EXPERIMENT_OPTIONS,
  alarmStopCondition,
  arnsIn,
  disruptConnectivityAction,
  disruptConnectivityStatements,
  experimentLogConfiguration,
  experimentLogGroup,
  fisTrustStatement,
  isoDuration,
  logDeliveryStatements,
  subnetsTarget,
} from "@meridian/constructs";

const ACCOUNT = "123456789012";

/** An experiment of its own built from the FIS building blocks: cut one subnet off for 5 minutes. */
export class FisExample extends TerraformStack {
  readonly template: FisExperimentTemplate;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const arn = arnsIn("aws", "eu-west-1", ACCOUNT);
    const subnets = [`arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/subnet-0a1b2c3d4e5f60718`];
    const duration = isoDuration(5);

    const logGroup = experimentLogGroup(this, "log-group", { name: "team-a", experiment: "subnet-loss", retentionInDays: 30 });
    const trust = new DataAwsIamPolicyDocument(this, "trust", { statement: [fisTrustStatement(ACCOUNT, arn)] });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: [...disruptConnectivityStatements(arn, subnets), ...logDeliveryStatements(arn)],
    });
    const role = new IamRole(this, "role", { namePrefix: "fis-subnet-loss-", assumeRolePolicy: trust.json });
    const policy = new IamRolePolicy(this, "role-policy", { role: role.id, name: "subnet-loss", policy: permissions.json });

    this.template = new FisExperimentTemplate(this, "template", {
      description: `Cut team A's subnet off for ${duration}`,
      roleArn: role.arn,
      stopCondition: alarmStopCondition(`arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:team-a-slo-burn`),
      target: [subnetsTarget("subnet", subnets)],
      action: [disruptConnectivityAction({ name: "cut-off", description: `Deny all traffic for ${duration}`, duration, subnetsTarget: "subnet" })],
      experimentOptions: EXPERIMENT_OPTIONS,
      logConfiguration: experimentLogConfiguration(logGroup),
      dependsOn: [policy],
    });
  }
}

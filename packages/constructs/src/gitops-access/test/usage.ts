import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ArgoCdHubRole, GitOpsSpokeAccess, argoCdHubRoleName, argoCdSpokeRoleName, iamRoleArn } from "@meridian/constructs";

/**
 * A GitOps hub cluster that also manages itself: Argo CD's IRSA role on the hub, and the spoke
 * role + EKS access entry it assumes. A spoke in another account builds only `GitOpsSpokeAccess`,
 * with the same hub role ARN: both sides derive the names, so neither reads the other's state.
 */
export class GitOpsAccessExample extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const hubCluster = "team-a-hub";
    const hubRoleArn = iamRoleArn("aws", "123456789012", argoCdHubRoleName(hubCluster));
    const spoke = new GitOpsSpokeAccess(this, "spoke-access", {
      clusterName: hubCluster,
      roleName: argoCdSpokeRoleName(hubCluster),
      hubRoleArn,
      partition: "aws",
    });
    new ArgoCdHubRole(this, "argocd-hub-role", {
      roleName: argoCdHubRoleName(hubCluster),
      issuer: {
        providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0123456789",
        host: "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0123456789",
      },
      spokeRoleArns: [iamRoleArn("aws", "123456789012", argoCdSpokeRoleName(hubCluster))],
    });
    // Argo CD's cluster secret names this role (awsAuthConfig.roleARN).
    new TerraformOutput(this, "spoke_role_arn", { value: spoke.roleArn });
  }
}

import type { ChartPin } from "../chart-release";

/**
 * The default chart of {@link NodeTerminationHandler}. eks-charts dropped this chart (eks-charts
 * #1155); the project publishes it to Public ECR.
 */
export const NODE_TERMINATION_HANDLER_CHART = {
  repository: "oci://public.ecr.aws/aws-ec2/helm",
  chart: "aws-node-termination-handler",
  version: "0.27.6",
} as const satisfies ChartPin;

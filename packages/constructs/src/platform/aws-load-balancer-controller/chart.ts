import type { ChartPin } from "../chart-release";

/** The default chart of {@link AwsLoadBalancerController}: the controller from the AWS EKS charts repository. */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "3.5.0",
} as const satisfies ChartPin;

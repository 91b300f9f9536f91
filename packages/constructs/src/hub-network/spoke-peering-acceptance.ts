import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnectionAccepterA } from "@cdktf/provider-aws/lib/vpc-peering-connection-accepter";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { assertCidr } from "./checks";

/** The `Name` tag of a spoke's accepted peering: how operators (and the teardown) find it in the spoke's account. */
export function spokePeeringName(clusterName: string): string {
  return `${clusterName}-from-gitops-hub`;
}

export interface SpokePeeringAcceptanceProps {
  /** The hub's peering request (a token read from the hub network stack's state is fine). */
  readonly peeringConnectionId: string;
  /** The hub VPC's CIDR: routed over the peering and admitted on 443 by the cluster. */
  readonly hubVpcCidr: string;
  /** Private route tables of the spoke VPC, where the API endpoint's network interfaces live. */
  readonly routeTableIds: readonly string[];
  /** The spoke cluster's security group (EKS-managed; attached to the endpoint's interfaces). */
  readonly clusterSecurityGroupId: string;
  /** Name for tags, e.g. the spoke cluster's name. */
  readonly name: string;
  /** The AWS provider (account and region) of the spoke VPC, which accepts the request. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * The spoke side of the GitOps network path: accepts the hub's peering request, routes the hub
 * VPC's CIDR over it, and lets the hub reach this cluster's private API endpoint (TCP 443 from
 * the hub VPC only). Routes may be created while the request is still pending; they carry
 * traffic once it is active.
 */
export class SpokePeeringAcceptance extends Construct {
  readonly accepter: VpcPeeringConnectionAccepterA;

  constructor(scope: Construct, id: string, props: SpokePeeringAcceptanceProps) {
    super(scope, id);
    assertCidr(`SpokePeeringAcceptance ${props.name}`, "hubVpcCidr", props.hubVpcCidr);
    if (props.routeTableIds.length === 0) {
      throw new Error(`SpokePeeringAcceptance ${props.name}: routeTableIds is empty; replies from the API endpoint could not reach the hub`);
    }
    this.accepter = new VpcPeeringConnectionAccepterA(this, "accepter", {
      provider: props.provider,
      vpcPeeringConnectionId: props.peeringConnectionId,
      autoAccept: true,
      tags: { Name: spokePeeringName(props.name) },
    });
    props.routeTableIds.forEach((routeTableId, index) => {
      new Route(this, `hub-route-${index}`, {
        provider: props.provider,
        routeTableId,
        destinationCidrBlock: props.hubVpcCidr,
        vpcPeeringConnectionId: this.accepter.vpcPeeringConnectionId,
      });
    });
    new VpcSecurityGroupIngressRule(this, "hub-api-access", {
      provider: props.provider,
      securityGroupId: props.clusterSecurityGroupId,
      description: "Kubernetes API from the GitOps hub VPC (Argo CD) over the VPC peering",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.hubVpcCidr,
      tags: { Name: `${props.name}-gitops-hub-api` },
    });
  }
}

import { Address4 } from "ip-address";

/**
 * IPv4 CIDR planning. Parsing, masks and containment come from `ip-address`; this file only
 * adds Terraform's `cidrsubnet` arithmetic on top, so a plan computed here is the plan a
 * reviewer would compute with `terraform console`.
 */

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => new Address4(c));

/** The parsed block, or undefined when `cidr` is not an IPv4 CIDR with an explicit prefix. */
export function parseCidr(cidr: string): Address4 | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !Address4.isValid(cidr)) {
    return undefined;
  }
  return new Address4(cidr);
}

/** True when the address part is the block's network address (`10.0.0.0/16`, not `10.0.0.1/16`). */
export function isNetworkAddress(block: Address4): boolean {
  return block.bigInt() === block.startAddress().bigInt();
}

/** True when the block lies inside an RFC 1918 private range (10/8, 172.16/12, 192.168/16). */
export function isPrivateBlock(block: Address4): boolean {
  return PRIVATE_RANGES.some((range) => block.isInSubnet(range));
}

/**
 * IPv4 ranges that are not public unicast addresses (IANA special-purpose registry, RFC 6890):
 * "this network", private (RFC 1918), shared CGNAT (RFC 6598), loopback, link-local, IETF
 * protocol assignments, 6to4 relay, benchmarking (RFC 2544), multicast and the reserved class E
 * (with the limited broadcast). The documentation ranges (TEST-NET-1/2/3) are left out on
 * purpose: the EKS User Guide's own example of a public-endpoint block is 203.0.113.5/32.
 */
export const NON_PUBLIC_RANGES: readonly { readonly cidr: string; readonly name: string }[] = [
  { cidr: "0.0.0.0/8", name: "\"this network\"" },
  { cidr: "10.0.0.0/8", name: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", name: "shared address space (RFC 6598)" },
  { cidr: "127.0.0.0/8", name: "loopback" },
  { cidr: "169.254.0.0/16", name: "link-local" },
  { cidr: "172.16.0.0/12", name: "private (RFC 1918)" },
  { cidr: "192.0.0.0/24", name: "IETF protocol assignments" },
  { cidr: "192.88.99.0/24", name: "6to4 relay anycast" },
  { cidr: "192.168.0.0/16", name: "private (RFC 1918)" },
  { cidr: "198.18.0.0/15", name: "benchmarking (RFC 2544)" },
  { cidr: "224.0.0.0/4", name: "multicast" },
  { cidr: "240.0.0.0/4", name: "reserved (class E) and broadcast" },
];

/** The first non-public range that `block` overlaps, or undefined when every address in it is public. */
export function nonPublicRangeIn(block: Address4): { readonly cidr: string; readonly name: string } | undefined {
  const cidr = `${block.startAddress().correctForm()}/${block.subnetMask}`;
  return NON_PUBLIC_RANGES.find((range) => cidrsOverlap(cidr, range.cidr));
}

/** True when one block contains the other (two CIDR blocks either nest or are disjoint). */
export function cidrsOverlap(a: string, b: string): boolean {
  const left = new Address4(a);
  const right = new Address4(b);
  return left.isInSubnet(right) || right.isInSubnet(left);
}

/**
 * Terraform's `cidrsubnet(prefix, newbits, netnum)`: the `netnum`-th block that is `newbits`
 * longer than `prefix`.
 */
export function cidrSubnet(prefix: string, newBits: number, netNum: number): string {
  const base = new Address4(prefix);
  const length = base.subnetMask + newBits;
  if (length > 32) {
    throw new RangeError(`cidrSubnet: ${prefix} has no room for ${newBits} more bits`);
  }
  if (netNum < 0 || netNum >= 2 ** newBits) {
    throw new RangeError(`cidrSubnet: netnum ${netNum} does not fit in ${newBits} bits`);
  }
  const start = base.startAddress().bigInt() + (BigInt(netNum) << BigInt(32 - length));
  return `${Address4.fromBigInt(start).correctForm()}/${length}`;
}

/** Subnets of one availability zone. */
export interface AzSubnetPlan {
  readonly availabilityZone: string;
  /** Load balancers and NAT gateways. */
  readonly public: string;
  /** Nodes and pods (VPC CNI gives pods VPC addresses, hence the largest tier). */
  readonly private: string;
  /** Aurora, EFS mount targets and other intra-VPC services; no route to the internet. */
  readonly database: string;
}

/** Smallest and largest VPC prefix the subnet layout below fits into. */
export const VPC_PREFIX_RANGE = { min: 16, max: 18 } as const;
/** Up to six AZs: the private tier uses six of the VPC's eight eighths. */
export const MAX_AVAILABILITY_ZONES = 6;

/**
 * The fixed subnet layout of every VPC, by eighths of the VPC block:
 * eighths 0-5 hold one private subnet per AZ (/19 of a /16), eighth 6 holds the public
 * subnets and eighth 7 the database subnets (/24 of a /16, 32 slots each).
 * A fixed layout keeps subnet CIDRs stable when AZs are added: adding a zone never moves
 * an existing subnet, which would force its replacement.
 */
export function planSubnets(vpcCidr: string, availabilityZones: readonly string[]): AzSubnetPlan[] {
  if (availabilityZones.length > MAX_AVAILABILITY_ZONES) {
    throw new RangeError(`planSubnets: at most ${MAX_AVAILABILITY_ZONES} availability zones fit the layout`);
  }
  return availabilityZones.map((availabilityZone, index) => ({
    availabilityZone,
    private: cidrSubnet(vpcCidr, 3, index),
    public: cidrSubnet(vpcCidr, 8, 6 * 32 + index),
    database: cidrSubnet(vpcCidr, 8, 7 * 32 + index),
  }));
}

import { NON_PUBLIC_RANGES, cidrSubnet, cidrsOverlap, isNetworkAddress, isPrivateBlock, nonPublicRangeIn, parseCidr, planSubnets } from "..";

describe("cidrSubnet (Terraform semantics)", () => {
  test.each([
    ["10.64.0.0/16", 3, 0, "10.64.0.0/19"],
    ["10.64.0.0/16", 3, 2, "10.64.64.0/19"],
    ["10.64.0.0/16", 8, 194, "10.64.194.0/24"],
    ["10.64.0.0/10", 6, 9, "10.73.0.0/16"],
    ["172.16.0.0/12", 4, 15, "172.31.0.0/16"],
  ])("cidrsubnet(%s, %i, %i) = %s", (prefix, bits, num, expected) => {
    expect(cidrSubnet(prefix, bits, num)).toBe(expected);
  });

  test("throws when netnum does not fit the new bits", () => {
    expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow("netnum 4 does not fit in 2 bits");
  });

  test("throws when the prefix would pass /32", () => {
    expect(() => cidrSubnet("10.0.0.0/30", 3, 0)).toThrow("has no room for 3 more bits");
  });
});

describe("planSubnets", () => {
  test("gives each AZ a /19 private, a /24 public and a /24 database subnet inside the VPC, none overlapping", () => {
    const plan = planSubnets("10.72.0.0/16", ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    expect(plan[1]).toEqual({ availabilityZone: "eu-west-1b", private: "10.72.32.0/19", public: "10.72.193.0/24", database: "10.72.225.0/24" });
    const all = plan.flatMap((p) => [p.private, p.public, p.database]);
    all.forEach((cidr) => expect(cidrsOverlap(cidr, "10.72.0.0/16")).toBe(true));
    all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(cidrsOverlap(a, b)).toBe(false)));
  });

  test("adding an AZ never moves an existing subnet", () => {
    const three = planSubnets("10.72.0.0/16", ["a", "b", "c"]);
    const four = planSubnets("10.72.0.0/16", ["a", "b", "c", "d"]);
    expect(four.slice(0, 3)).toEqual(three);
  });

});

describe("parseCidr, isNetworkAddress, isPrivateBlock", () => {
  test("parses only IPv4 blocks with an explicit prefix", () => {
    expect(parseCidr("10.0.0.0/16")?.subnetMask).toBe(16);
    expect(parseCidr("10.0.0.0")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("::/0")).toBeUndefined();
  });
  test("a network address has no host bits; private blocks lie inside RFC 1918", () => {
    expect(isNetworkAddress(parseCidr("10.0.0.0/16")!)).toBe(true);
    expect(isNetworkAddress(parseCidr("10.0.0.1/16")!)).toBe(false);
    expect(isPrivateBlock(parseCidr("172.31.0.0/16")!)).toBe(true);
    expect(isPrivateBlock(parseCidr("172.32.0.0/16")!)).toBe(false);
  });
});

describe("nonPublicRangeIn", () => {
  test("names the first non-public range a block overlaps, or nothing for public blocks", () => {
    expect(nonPublicRangeIn(parseCidr("8.8.8.0/24")!)).toBeUndefined();
    expect(nonPublicRangeIn(parseCidr("203.0.113.0/24")!)).toBeUndefined();
    expect(nonPublicRangeIn(parseCidr("192.168.10.0/24")!)).toEqual({ cidr: "192.168.0.0/16", name: "private (RFC 1918)" });
    // A wide block that contains a reserved range is refused too.
    expect(nonPublicRangeIn(parseCidr("96.0.0.0/4")!)?.cidr).toBe("100.64.0.0/10");
  });
  test("every listed range is a network block", () => {
    NON_PUBLIC_RANGES.forEach((range) => expect(isNetworkAddress(parseCidr(range.cidr)!)).toBe(true));
  });
});

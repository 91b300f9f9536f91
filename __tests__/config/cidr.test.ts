import { cidrSubnet, cidrsOverlap, planSubnets } from "@meridian/constructs";
import { vpcSlot } from "../../src/config/catalogue";

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

  test("vpc slots are consecutive /16 blocks of the platform supernet", () => {
    expect([vpcSlot(0), vpcSlot(1), vpcSlot(63)]).toEqual(["10.64.0.0/16", "10.65.0.0/16", "10.127.0.0/16"]);
  });
});

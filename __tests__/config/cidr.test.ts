import { vpcSlot } from "../../src/config/catalogue";

// cidrSubnet and planSubnets are tested with the library (packages/constructs/src/core/test/cidr.test.ts).
describe("the catalogue's VPC slots", () => {
  test("vpc slots are consecutive /16 blocks of the platform supernet", () => {
    expect([vpcSlot(0), vpcSlot(1), vpcSlot(63)]).toEqual(["10.64.0.0/16", "10.65.0.0/16", "10.127.0.0/16"]);
  });
});

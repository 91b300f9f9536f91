import { SECURITY_GROUP_TEXT } from "@meridian/constructs";
import { resourcesOf, synthStacks } from "../helpers";

// GIVEN every stack of the built-in catalogue, synthesized
const stacks = synthStacks();

/** Literal text only: a `${...}` reference is checked where its value is built. */
const literal = (value: unknown): value is string => typeof value === "string" && !value.includes("${");

describe.each([...stacks.keys()])("%s: security group text EC2 accepts", (name) => {
  const json = stacks.get(name)!;

  test("security group names and descriptions use only the characters CreateSecurityGroup allows", () => {
    for (const group of resourcesOf(json, "aws_security_group")) {
      for (const value of [group.name, group.description].filter(literal)) {
        expect([value, SECURITY_GROUP_TEXT.test(value)]).toEqual([value, true]);
      }
      if (literal(group.name)) {
        expect(group.name.toLowerCase().startsWith("sg-")).toBe(false);
      }
    }
  });

  test("security group rule descriptions use only the characters EC2 allows", () => {
    for (const type of ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"]) {
      for (const rule of resourcesOf(json, type)) {
        if (literal(rule.description)) {
          expect([rule.description, SECURITY_GROUP_TEXT.test(rule.description)]).toEqual([rule.description, true]);
        }
      }
    }
  });
});

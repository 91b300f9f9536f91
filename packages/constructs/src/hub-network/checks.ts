import { Token } from "cdktf";
import { ACCOUNT_ID, REGION_NAME } from "../core/aws-formats";
import { isNetworkAddress, parseCidr } from "../core/cidr";

/** Literal values are checked eagerly; tokens resolve at deploy time and are left to AWS. */
function check(setting: string, value: string, valid: boolean, rule: string): void {
  if (!Token.isUnresolved(value) && !valid) {
    throw new Error(`${setting} is ${JSON.stringify(value)}: ${rule}`);
  }
}

export function assertCidr(setting: string, value: string): void {
  const block = parseCidr(value);
  check(setting, value, block !== undefined && isNetworkAddress(block), "must be an IPv4 network block such as 10.64.0.0/16");
}

export function assertAccountId(setting: string, value: string): void {
  check(setting, value, ACCOUNT_ID.test(value), "must be a 12-digit AWS account id");
}

export function assertRegion(setting: string, value: string): void {
  check(setting, value, REGION_NAME.test(value), "must be an AWS region name such as us-east-1");
}

import { Token } from "cdktf";
import { ACCOUNT_ID, REGION_NAME } from "../core/aws-formats";
import { isNetworkAddress, parseCidr } from "../core/cidr";

/**
 * Checks of the peering constructs' props. `owner` is the construct as errors name it, e.g.
 * `HubPeering meridian-production-us-east-1`. Literal values are checked eagerly; tokens
 * resolve at deploy time and are left to AWS.
 */
function check(owner: string, setting: string, value: string, valid: boolean, rule: string): void {
  if (!Token.isUnresolved(value) && !valid) {
    throw new Error(`${owner}: ${setting} ${JSON.stringify(value)} ${rule}`);
  }
}

/** Throws unless `value` is an IPv4 network block (its host bits zero), e.g. `10.64.0.0/16`. */
export function assertCidr(owner: string, setting: string, value: string): void {
  const block = parseCidr(value);
  check(owner, setting, value, block !== undefined && isNetworkAddress(block), "must be an IPv4 network block such as 10.64.0.0/16");
}

/** Throws unless `value` is a 12-digit account id. */
export function assertAccountId(owner: string, setting: string, value: string): void {
  check(owner, setting, value, ACCOUNT_ID.test(value), "must be a 12-digit AWS account id");
}

/** Throws unless `value` is a region name. */
export function assertRegion(owner: string, setting: string, value: string): void {
  check(owner, setting, value, REGION_NAME.test(value), "must be an AWS region name such as us-east-1");
}

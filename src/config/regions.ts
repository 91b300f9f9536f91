/**
 * The AWS commercial regions this platform may be placed in, with the availability-zone
 * names each one offers. Kept as a static table because AZ lookups
 * (`aws_availability_zones`) call the EC2 API, and every stack must plan offline.
 *
 * AZ *names* map to different physical zones per account; the platform only needs the names
 * to exist in the region, which this table guarantees.
 */
export const REGION_AVAILABILITY_ZONES: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-1": ["a", "c"],
  "us-west-2": ["a", "b", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "eu-west-1": ["a", "b", "c"],
  "eu-west-2": ["a", "b", "c"],
  "eu-west-3": ["a", "b", "c"],
  "eu-central-1": ["a", "b", "c"],
  "eu-central-2": ["a", "b", "c"],
  "eu-north-1": ["a", "b", "c"],
  "eu-south-1": ["a", "b", "c"],
  "eu-south-2": ["a", "b", "c"],
  "ap-northeast-1": ["a", "c", "d"],
  "ap-northeast-2": ["a", "b", "c", "d"],
  "ap-northeast-3": ["a", "b", "c"],
  "ap-southeast-1": ["a", "b", "c"],
  "ap-southeast-2": ["a", "b", "c"],
  "ap-south-1": ["a", "b", "c"],
  "sa-east-1": ["a", "b", "c"],
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_AVAILABILITY_ZONES);

/** Full AZ names (`us-east-1a`, …) of a known region. */
export function availabilityZonesOf(region: string): readonly string[] {
  return (REGION_AVAILABILITY_ZONES[region] ?? []).map((suffix) => `${region}${suffix}`);
}

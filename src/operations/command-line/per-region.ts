/**
 * `make` memoized per region: an operator command's SDK clients are made on first use, one per
 * region, and reused for every later call to that region.
 */
export function perRegion<T>(make: (region: string) => T): (region: string) => T {
  const made = new Map<string, T>();
  return (region) => {
    let value = made.get(region);
    if (value === undefined) {
      value = make(region);
      made.set(region, value);
    }
    return value;
  };
}

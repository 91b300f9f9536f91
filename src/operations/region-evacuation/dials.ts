import type { EvacuationRequest } from "./arguments";

/** The dial `--from`'s endpoint groups get: 0 to evacuate; to fail back, the catalogue's value, or 100 where the catalogue says 0. */
export function targetDialFor(request: EvacuationRequest): number {
  if (request.direction === "evacuation") {
    return 0;
  }
  const configured = request.environment.edge?.trafficDials[request.fromRegion];
  return configured === undefined || configured === 0 ? 100 : configured;
}

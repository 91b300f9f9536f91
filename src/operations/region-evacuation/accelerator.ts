import {
  DescribeAcceleratorCommand,
  ListAcceleratorsCommand,
  ListEndpointGroupsCommand,
  ListListenersCommand,
  type EndpointGroup,
} from "@aws-sdk/client-global-accelerator";
import type { EvacuationClients } from "./clients";

/** The accelerator and its endpoint groups, as the Global Accelerator API reports them. */
export interface AcceleratorState {
  readonly arn: string;
  readonly dnsName: string;
  /** `DEPLOYED`, or `IN_PROGRESS` while a change propagates. */
  readonly status: string;
  readonly firstListenerPort: number;
  /** Every endpoint group of every listener. */
  readonly endpointGroups: readonly EndpointGroupState[];
}

export interface EndpointGroupState {
  readonly arn: string;
  readonly region: string;
  readonly listenerArn: string;
  readonly trafficDial: number;
  /** Endpoint health: `HEALTHY`, `UNHEALTHY` or `INITIAL`, per endpoint. */
  readonly endpointHealth: readonly string[];
}

/** Finds the accelerator by name (the edge stack's `<project>-<environment>`) and reads its listeners and endpoint groups. */
export async function readAccelerator(clients: EvacuationClients, name: string): Promise<AcceleratorState> {
  const ga = clients.globalAccelerator;
  let token: string | undefined;
  let found: { AcceleratorArn?: string; DnsName?: string; Status?: string } | undefined;
  do {
    const page = await ga.send(new ListAcceleratorsCommand({ MaxResults: 100, NextToken: token }));
    found = page.Accelerators?.find((a) => a.Name === name);
    token = page.NextToken;
  } while (!found && token);
  if (!found?.AcceleratorArn) {
    throw new Error(`no accelerator named ${name}`);
  }
  const arn = found.AcceleratorArn;
  const listeners = (await ga.send(new ListListenersCommand({ AcceleratorArn: arn, MaxResults: 100 }))).Listeners ?? [];
  const endpointGroups: EndpointGroupState[] = [];
  for (const listener of listeners) {
    const groups = (await ga.send(new ListEndpointGroupsCommand({ ListenerArn: listener.ListenerArn, MaxResults: 100 }))).EndpointGroups ?? [];
    endpointGroups.push(...groups.map((group) => toGroup(listener.ListenerArn ?? "", group)));
  }
  const ports = listeners.flatMap((l) => (l.PortRanges ?? []).map((r) => r.FromPort ?? 0)).filter((p) => p > 0);
  return { arn, dnsName: found.DnsName ?? "", status: found.Status ?? "unknown", firstListenerPort: ports[0] ?? 443, endpointGroups };
}

/** The accelerator's deployment status: a dial change has reached the edge once it reads `DEPLOYED`. */
export async function acceleratorStatus(clients: EvacuationClients, arn: string): Promise<string> {
  const response = await clients.globalAccelerator.send(new DescribeAcceleratorCommand({ AcceleratorArn: arn }));
  return response.Accelerator?.Status ?? "unknown";
}

function toGroup(listenerArn: string, group: EndpointGroup): EndpointGroupState {
  return {
    arn: group.EndpointGroupArn ?? "",
    region: group.EndpointGroupRegion ?? "",
    listenerArn,
    // The API leaves the dial out when it is the default, 100.
    trafficDial: group.TrafficDialPercentage ?? 100,
    endpointHealth: (group.EndpointDescriptions ?? []).map((e) => e.HealthState ?? "UNKNOWN"),
  };
}

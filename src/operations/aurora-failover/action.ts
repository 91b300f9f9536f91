import { FailoverGlobalClusterCommand, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import type { FailoverMode } from "./arguments";
import type { RegionalClients } from "./clients";

/** The request the command sends, in the words of the RDS API. */
export interface GlobalClusterAction {
  readonly operation: "SwitchoverGlobalCluster" | "FailoverGlobalCluster";
  readonly input: {
    readonly GlobalClusterIdentifier: string;
    /** The ARN, not the bare identifier, so Aurora can find the cluster in its region. */
    readonly TargetDbClusterIdentifier: string;
    readonly AllowDataLoss?: true;
  };
}

/**
 * `switchover` → SwitchoverGlobalCluster (synchronizes first, no data loss).
 * `failover` → FailoverGlobalCluster with AllowDataLoss, which AWS intends for an outage of the
 * primary; without AllowDataLoss that API would itself behave as a switchover.
 */
export function actionFor(mode: FailoverMode, globalClusterIdentifier: string, targetArn: string): GlobalClusterAction {
  return mode === "switchover"
    ? { operation: "SwitchoverGlobalCluster", input: { GlobalClusterIdentifier: globalClusterIdentifier, TargetDbClusterIdentifier: targetArn } }
    : {
        operation: "FailoverGlobalCluster",
        input: { GlobalClusterIdentifier: globalClusterIdentifier, TargetDbClusterIdentifier: targetArn, AllowDataLoss: true },
      };
}

/**
 * Sends the action through the target region's RDS client: in an unplanned failover the old
 * primary's region may not answer, and the target region is the one that has to.
 */
export async function sendAction(targetClients: RegionalClients, action: GlobalClusterAction): Promise<void> {
  if (action.operation === "SwitchoverGlobalCluster") {
    await targetClients.rds.send(new SwitchoverGlobalClusterCommand({ ...action.input }));
  } else {
    await targetClients.rds.send(new FailoverGlobalClusterCommand({ ...action.input }));
  }
}

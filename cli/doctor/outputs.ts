import { ClusterOutputs, NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "../../components/internal";

// Read and checked the same way as by `manifests --network-outputs`.
export { loadNetworkOutputs, parseNetworkOutputs } from "../network-outputs";

/** One (cluster, service) target group of the outputs, with its expected weight. */
export interface ExpectedTargetGroup {
    cluster: string;
    service: string;
    weight: number;
    tg: TargetGroupOutputs;
}

/**
 * Flattens the outputs into one entry per target group. The weight is the
 * service's weight for the cluster, or the cluster's default weight when the
 * service does not list the cluster.
 */
export function expectedTargetGroups(outputs: NetworkOutputs): ExpectedTargetGroup[] {
    const list: ExpectedTargetGroup[] = [];
    for (const [cluster, c] of sortedEntries(outputs.clusters)) {
        for (const [service, tg] of sortedEntries(c.targetGroups)) {
            list.push({ cluster, service, weight: expectedWeight(outputs, cluster, c, service), tg });
        }
    }
    return list;
}

function expectedWeight(outputs: NetworkOutputs, cluster: string, c: ClusterOutputs, service: string): number {
    const svc: ServiceOutputs | undefined = outputs.services[service];
    const weight = svc?.weights[cluster];
    return weight ?? c.weight;
}

/** Object entries sorted by key, for stable output. */
export function sortedEntries<T>(record: Record<string, T>): Array<[string, T]> {
    return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The listener that carries the service rules: https, else http, else existing. */
export function serviceListener(outputs: NetworkOutputs): { role: string; arn: string } | undefined {
    for (const role of ["https", "http", "existing"]) {
        const arn = outputs.loadBalancer.listenerArns[role];
        if (arn) {
            return { role, arn };
        }
    }
    const [first] = sortedEntries(outputs.loadBalancer.listenerArns);
    return first ? { role: first[0], arn: first[1] } : undefined;
}

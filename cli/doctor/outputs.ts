import { readFile } from "fs/promises";
import * as path from "path";
import { ClusterOutputs, NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "../../components/internal/contract";
import { validateNetworkOutputs } from "../network-outputs";
import { DoctorError } from "./errors";

/**
 * Reads the network stack's outputs (`pulumi stack output --json -s network`)
 * from a file, or from stdin when `source` is `-`.
 */
export async function loadNetworkOutputs(source: string, cwd: string, stdin: NodeJS.ReadableStream): Promise<NetworkOutputs> {
    const label = source === "-" ? "stdin" : source;
    let text: string;
    if (source === "-") {
        text = await readAll(stdin);
    } else {
        const file = path.resolve(cwd, source);
        try {
            text = await readFile(file, "utf8");
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (err as Error).message;
            throw new DoctorError(`cannot read network outputs ${JSON.stringify(source)}: ${why}`);
        }
    }
    return parseNetworkOutputs(text, label);
}

/** Parses and validates the outputs JSON; `label` names the source in errors. */
export function parseNetworkOutputs(text: string, label: string): NetworkOutputs {
    if (text.trim() === "") {
        throw new DoctorError(`network outputs from ${label} are empty; expected the JSON of \`pulumi stack output --json -s network\``);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (err) {
        throw new DoctorError(`network outputs from ${label} are not JSON (${(err as Error).message}); expected the JSON of \`pulumi stack output --json -s network\``);
    }
    const problems = validateNetworkOutputs(value);
    if (problems.length > 0) {
        const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
        throw new DoctorError(`network outputs from ${label} do not match the contract: ${problems[0].message}${more}`);
    }
    return value as NetworkOutputs;
}

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

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer | string) => chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        stream.on("error", err => reject(new DoctorError(`cannot read network outputs from stdin: ${err.message}`)));
    });
}

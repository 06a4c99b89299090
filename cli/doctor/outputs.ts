import { readFile } from "fs/promises";
import * as path from "path";
import { ClusterOutputs, NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "../../components/internal/contract";
import { ConfigError } from "../../components/internal/errors";
import { isNonEmptyString, isRecord, join } from "../../components/internal/validate";
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

/**
 * Every way `value` departs from the {@link NetworkOutputs} contract, as
 * errors naming the path (`clusters.blue.targetGroups`). Only the fields the
 * doctor reads are required.
 */
export function validateNetworkOutputs(value: unknown): ConfigError[] {
    const found: ConfigError[] = [];
    const str = (p: string, v: unknown): v is string => {
        if (!isNonEmptyString(v)) {
            found.push(new ConfigError(p, v, "expected a non-empty string"));
            return false;
        }
        return true;
    };
    const int = (p: string, v: unknown, min: number, max: number): void => {
        if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
            found.push(new ConfigError(p, v, `expected an integer from ${min} to ${max}`));
        }
    };
    const obj = (p: string, v: unknown, what: string): v is Record<string, unknown> => {
        if (!isRecord(v)) {
            found.push(new ConfigError(p, v, `expected ${what}`));
            return false;
        }
        return true;
    };
    if (!obj("", value, "a JSON object (the network stack's outputs)")) {
        found[0] = new ConfigError("(top level)", value, "expected a JSON object (the network stack's outputs)");
        return found;
    }
    str("accountId", value.accountId);
    str("region", value.region);
    str("vpcId", value.vpcId);
    str("securityGroupId", value.securityGroupId);
    const lb = value.loadBalancer;
    if (obj("loadBalancer", lb, "an object with arn, securityGroupId and listenerArns")) {
        str("loadBalancer.arn", lb.arn);
        str("loadBalancer.securityGroupId", lb.securityGroupId);
        if (obj("loadBalancer.listenerArns", lb.listenerArns, "an object of listener ARNs keyed by http, https or existing")) {
            const keys = Object.keys(lb.listenerArns);
            if (keys.length === 0) {
                found.push(new ConfigError("loadBalancer.listenerArns", lb.listenerArns, "expected at least one of http, https, existing"));
            }
            for (const key of keys) {
                str(join("loadBalancer.listenerArns", key), lb.listenerArns[key]);
            }
        }
    }
    if (obj("services", value.services, "an object keyed by service name")) {
        for (const [name, svc] of Object.entries(value.services)) {
            const p = join("services", name);
            if (obj(p, svc, "an object with port, protocol, targetType and weights")) {
                int(join(p, "port"), svc.port, 1, 65535);
                if (obj(join(p, "weights"), svc.weights, "an object of weights keyed by cluster")) {
                    for (const [cluster, weight] of Object.entries(svc.weights)) {
                        int(join(join(p, "weights"), cluster), weight, 0, 999);
                    }
                }
            }
        }
    }
    if (obj("clusters", value.clusters, "an object keyed by cluster key")) {
        for (const [key, cluster] of Object.entries(value.clusters)) {
            const p = join("clusters", key);
            if (!obj(p, cluster, "an object with accountId, controllerRoleArn and targetGroups")) {
                continue;
            }
            str(join(p, "accountId"), cluster.accountId);
            int(join(p, "weight"), cluster.weight, 0, 999);
            str(join(p, "controllerRoleArn"), cluster.controllerRoleArn);
            const crossAccount = typeof value.accountId === "string" && cluster.accountId !== value.accountId;
            if (crossAccount || cluster.registrarRoleArn !== undefined) {
                str(join(p, "registrarRoleArn"), cluster.registrarRoleArn);
            }
            if (crossAccount || cluster.externalId !== undefined) {
                str(join(p, "externalId"), cluster.externalId);
            }
            if (obj(join(p, "targetGroups"), cluster.targetGroups, "an object of target groups keyed by service")) {
                for (const [service, tg] of Object.entries(cluster.targetGroups)) {
                    const tp = join(join(p, "targetGroups"), service);
                    if (obj(tp, tg, "an object with arn, name, port, protocol and targetType")) {
                        str(join(tp, "arn"), tg.arn);
                        str(join(tp, "name"), tg.name);
                        int(join(tp, "port"), tg.port, 1, 65535);
                        str(join(tp, "protocol"), tg.protocol);
                        str(join(tp, "targetType"), tg.targetType);
                    }
                }
            }
        }
    }
    return found;
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

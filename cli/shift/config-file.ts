import { YAMLMap, isMap, isScalar, parseDocument } from "yaml";
import { ConfigError, ConfigErrors, DocumentError, FleetPlan, isRecord, planSharedAlbArgs } from "../../components/internal";
import { FileSizeLimits, InputError, parseYamlData, readLimitedFile } from "../input-files";
import { replaceSecure } from "../plan/config";
import { ServiceWeights } from "./schedule";

/**
 * The network stack's config file (`Pulumi.network.yaml`) as `shift` reads
 * and edits it: the weights, the clusters' `retiring` and `services`, and the
 * services' stickiness. Edits go through the `yaml` package's Document API,
 * so every comment, key order, quoting and flow/block style stays as it was.
 */

/** A cluster as the weights see it. */
export interface FleetCluster {
    /** `clusters.<key>.weight`. @default 0 */
    weight: number;
    /** `clusters.<key>.retiring`. @default false */
    retiring: boolean;
    /** `clusters.<key>.services`. @default every service */
    services?: string[];
}

/** A service as the weights see it. */
export interface FleetService {
    /** `services.<name>.weights`: per cluster, over the cluster's weight. */
    weights: Record<string, number>;
    /** `services.<name>.stickiness.duration`, seconds. */
    stickinessSeconds?: number;
}

/** The weights and what decides them, as configured. */
export interface Fleet {
    clusters: Record<string, FleetCluster>;
    services: Record<string, FleetService>;
}

/** One config file, read. */
export interface NetworkConfigFile {
    /** The file as the user named it (for messages). */
    shown: string;
    /** The structured key: `<project>:network`. */
    key: string;
    text: string;
    fleet: Fleet;
}

/** One value to write: a path under the structured key, and the weight. */
export interface WeightEdit {
    path: string[];
    value: number;
}

/** Reads and checks the network stack's config file; throws {@link InputError} naming the file and the path. */
export function readNetworkConfig(file: string, shown: string): NetworkConfigFile {
    const text = readLimitedFileOrInput(file, shown);
    let data: unknown;
    try {
        data = parseYamlData(text);
    } catch (e) {
        throw new InputError(`${shown}: ${(e as Error).message}`);
    }
    const config = isRecord(data) && isRecord(data.config) ? data.config : undefined;
    if (config === undefined) {
        throw new InputError(`${shown}: expected a top-level \`config:\` map of a Pulumi stack`);
    }
    const roleKey = Object.keys(config).find(k => k.endsWith(":role") && config[k] === "network");
    if (roleKey === undefined) {
        throw new InputError(`${shown}: not a network stack's config: no \`<project>:role: network\` under config`);
    }
    const key = `${roleKey.slice(0, -":role".length)}:network`;
    try {
        return { shown, key, text, fleet: readFleet(config[key], key) };
    } catch (e) {
        if (e instanceof ConfigErrors) {
            throw new InputError(`${shown}: ${e.message}`);
        }
        throw e;
    }
}

function readLimitedFileOrInput(file: string, shown: string): string {
    try {
        return readLimitedFile(file, shown, FileSizeLimits.config);
    } catch (e) {
        if (e instanceof DocumentError) {
            throw new InputError(`${shown}: ${e.message}`);
        }
        throw e;
    }
}

/**
 * The fleet's weights under `key`, read by the network stack's own reader
 * (`planSharedAlbArgs`), so `shift` refuses exactly what `pulumi up` of the
 * network stack would, with the same messages under `key`; `secure:` values
 * stand as the offline plan's placeholder. Throws {@link ConfigErrors}.
 */
export function readFleet(value: unknown, key: string): Fleet {
    let plan: FleetPlan;
    try {
        // The region is not needed for the weights: absent, it is the stack's aws:region.
        plan = planSharedAlbArgs(replaceSecure(value, key, []), true);
    } catch (e) {
        if (e instanceof ConfigErrors) {
            throw new ConfigErrors(e.errors.map(x => new ConfigError(`${key}.${x.path}`, x.value, x.allowed)));
        }
        throw e;
    }
    const given = (name: string): Record<string, unknown> => {
        const service = isRecord(value) && isRecord(value.services) ? value.services[name] : undefined;
        return isRecord(service) && isRecord(service.weights) ? service.weights : {};
    };
    return {
        clusters: Object.fromEntries(
            Object.values(plan.clusters).map(c => [c.key, { weight: c.weight, retiring: c.retiring, services: c.services }]),
        ),
        services: Object.fromEntries(
            Object.values(plan.services).map(s => [
                s.name,
                {
                    // The weights the service names itself (checked by the reader): each wins over its cluster's weight.
                    weights: Object.fromEntries(Object.keys(given(s.name)).map(c => [c, s.weights[c]])),
                    ...(s.stickinessDuration !== undefined ? { stickinessSeconds: s.stickinessDuration } : {}),
                },
            ]),
        ),
    };
}

/** The fleet of a config file's text (as the file is now), under `key`; throws {@link InputError}. */
export function fleetOf(text: string, key: string): Fleet {
    try {
        const data = parseYamlData(text);
        return readFleet(isRecord(data) && isRecord(data.config) ? data.config[key] : undefined, key);
    } catch (e) {
        throw new InputError(`the network config file: ${(e as Error).message}`);
    }
}

/** Whether a cluster runs a service (`clusters.<key>.services`, every service when absent). */
export function runs(fleet: Fleet, cluster: string, service: string): boolean {
    const listed = fleet.clusters[cluster]?.services;
    return listed === undefined || listed.includes(service);
}

/** Each service's weight per cluster that runs it: `services.<s>.weights.<c>`, else `clusters.<c>.weight`. */
export function configuredWeights(fleet: Fleet): ServiceWeights {
    const out: ServiceWeights = {};
    for (const [service, s] of Object.entries(fleet.services)) {
        out[service] = {};
        for (const [cluster, c] of Object.entries(fleet.clusters)) {
            if (runs(fleet, cluster, service)) {
                out[service][cluster] = s.weights[cluster] ?? c.weight;
            }
        }
    }
    return out;
}

/**
 * The fewest config values that give the services `wanted` weights (services
 * and clusters `wanted` leaves out keep theirs): a cluster's own `weight`
 * when every service it runs without a weight of its own gets the same one,
 * else `services.<s>.weights.<c>`; a weight a service already names is set
 * there.
 */
export function weightEdits(fleet: Fleet, wanted: ServiceWeights): WeightEdit[] {
    const current = configuredWeights(fleet);
    const edits: WeightEdit[] = [];
    for (const [cluster, c] of Object.entries(fleet.clusters)) {
        const mine = Object.keys(fleet.services).filter(s => runs(fleet, cluster, s));
        const next = (s: string) => wanted[s]?.[cluster] ?? current[s][cluster];
        const inherited = mine.filter(s => fleet.services[s].weights[cluster] === undefined);
        const values = [...new Set(inherited.map(next))];
        const moveDefault = values.length === 1 && values[0] !== c.weight;
        if (moveDefault) {
            edits.push({ path: ["clusters", cluster, "weight"], value: values[0] });
        }
        for (const s of mine) {
            const own = fleet.services[s].weights[cluster];
            const base = moveDefault ? values[0] : c.weight;
            if ((own !== undefined && own !== next(s)) || (own === undefined && next(s) !== base)) {
                edits.push({ path: ["services", s, "weights", cluster], value: next(s) });
            }
        }
    }
    return edits;
}

/**
 * The file's text with `edits` made under `key`, byte for byte as it was
 * elsewhere: the Document API finds each value's place in the source (its
 * range), and only those characters change, so comments, order, quoting,
 * spacing and flow/block styles all stay. A key that is not there yet is
 * added to its map in the map's own style (a line at the items' indentation,
 * or `, key: value` inside `{ }`). Throws {@link InputError}.
 */
export function editText(text: string, key: string, edits: readonly WeightEdit[]): string {
    let out = text;
    for (const edit of edits) {
        out = editOne(out, ["config", key, ...edit.path], edit.value);
    }
    const check = parseDocument(out);
    for (const edit of edits) {
        if (check.errors.length > 0 || check.getIn(["config", key, ...edit.path]) !== edit.value) {
            throw new InputError(
                `could not write ${[key, ...edit.path].join(".")}: ${edit.value} into the file (${check.errors[0]?.message ?? "the value read back differs"})`,
            );
        }
    }
    return out;
}

function editOne(text: string, path: string[], value: number): string {
    const doc = parseDocument(text, { keepSourceTokens: true });
    if (doc.errors.length > 0) {
        throw new InputError(`not valid YAML: ${doc.errors[0].message.trimEnd()}`);
    }
    const node = doc.getIn(path, true);
    if (isScalar(node) && node.range) {
        return text.slice(0, node.range[0]) + String(value) + text.slice(node.range[1]);
    }
    let depth = path.length - 1;
    while (depth > 0 && !isMap(doc.getIn(path.slice(0, depth), true))) {
        if (doc.getIn(path.slice(0, depth), true) !== undefined) {
            throw new InputError(`${path.slice(1, depth).join(".")}: expected a map to add ${path.slice(depth).join(".")} to`);
        }
        depth -= 1;
    }
    return insertInto(text, doc.getIn(path.slice(0, depth), true) as YAMLMap, path.slice(depth), value);
}

/** Adds `rest` (keys down to the value) to an existing map, in its style. */
function insertInto(text: string, map: YAMLMap, rest: string[], value: number): string {
    const [first, ...deeper] = rest;
    const range = map.range;
    if (!range) {
        throw new InputError(`cannot place ${rest.join(".")} in the file`);
    }
    if (map.flow) {
        const close = text.lastIndexOf("}", range[1]);
        const nested = deeper.reduceRight<string>((inner, k) => `{ ${k}: ${inner} }`, String(value));
        const before = text.slice(0, close).trimEnd();
        const glue = map.items.length > 0 ? ", " : " ";
        return `${before}${glue}${first}: ${nested} ${text.slice(close)}`;
    }
    const last = map.items[map.items.length - 1];
    const lastNode = (last?.value ?? last?.key) as { range?: [number, number, number] } | undefined;
    const firstKey = map.items[0]?.key as { range?: [number, number, number] } | undefined;
    if (!lastNode?.range || !firstKey?.range) {
        throw new InputError(`cannot place ${rest.join(".")} in an empty map of the file`);
    }
    const lineStart = text.lastIndexOf("\n", firstKey.range[0] - 1) + 1;
    const indent = " ".repeat(firstKey.range[0] - lineStart);
    let at = lastNode.range[1];
    if (text[at - 1] !== "\n") {
        const newline = text.indexOf("\n", at);
        at = newline === -1 ? text.length : newline + 1;
    }
    const lines = [first, ...deeper].map((k, i) => `${indent}${"  ".repeat(i)}${k}:${i === deeper.length ? ` ${value}` : ""}`);
    const prefix = at === text.length && !text.endsWith("\n") ? "\n" : "";
    return `${text.slice(0, at)}${prefix}${lines.join("\n")}\n${text.slice(at)}`;
}

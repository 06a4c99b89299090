import { readFile, stat } from "fs/promises";
import * as path from "path";
import {
    HiddenSecret,
    NetworkOutputs,
    ArnAllowed,
    ExternalIdAllowed,
    ExternalIdPattern,
    ListenerArnPattern,
    LoadBalancerArnPattern,
    TargetGroupArnPattern,
    accountId,
    parseRoleArn,
    ConfigError,
    Problems,
    Reader,
    check,
    trueOrFalse,
    integer,
    isRecord,
    join,
    list,
    map,
    object,
    optional,
    NodePortRange,
    DocumentError,
    parseJsonData,
    refuseReservedKeys,
} from "../components/internal";
import { FileSizeLimits, InputError, describeFsError, formatBytes, tooLarge } from "./input-files";

// The network stack's outputs as the commands read them back from
// `pulumi stack output --json -s network` (`doctor`, `manifests --network-outputs`).

const Expected = "expected the JSON of `pulumi stack output --json -s network`";

/**
 * Reads the network stack's outputs from a file (`source` as the user gave
 * it, relative to `cwd`) or from stdin when `source` is `-`, and checks them
 * against the contract. Throws {@link InputError}, worded the same for every
 * command.
 */
export async function loadNetworkOutputs(
    source: string,
    cwd: string,
    stdin: NodeJS.ReadableStream,
    options: ReadOptions = {},
): Promise<NetworkOutputs> {
    const label = source === "-" ? "stdin" : source;
    let text: string;
    try {
        text = source === "-" ? await readAll(stdin, FileSizeLimits.outputs) : await readOutputsFile(path.resolve(cwd, source), source);
    } catch (e) {
        if (e instanceof DocumentError) {
            throw new InputError(`network outputs from ${label}: ${e.message}`);
        }
        throw e;
    }
    return parseNetworkOutputs(text, label, options);
}

/** How strictly to read the outputs. */
export interface ReadOptions {
    /**
     * Refuse `"[secret]"` values (exported without `--show-secrets`): for
     * files that copy the values out. The doctor only warns about them.
     * @default false
     */
    refuseSecrets?: boolean;
}

/** Parses and checks the outputs JSON; `label` names its source in errors. Throws {@link InputError}. */
export function parseNetworkOutputs(text: string, label: string, options: ReadOptions = {}): NetworkOutputs {
    if (text.trim() === "") {
        throw new InputError(`network outputs from ${label} are empty; ${Expected}`);
    }
    let value: unknown;
    try {
        value = parseJsonData(text);
        refuseReservedKeys(value);
    } catch (e) {
        const reason = e instanceof DocumentError ? e.message : String(e);
        throw new InputError(
            reason.startsWith("not JSON")
                ? `network outputs from ${label} are ${reason}; ${Expected}`
                : `network outputs from ${label}: ${reason}`,
        );
    }
    if (isRecord(value) && Object.keys(value).length === 0) {
        throw new InputError(
            `network outputs from ${label} are an empty object: the network stack has no outputs (deploy it first: pulumi up -s network); ${Expected}`,
        );
    }
    const hidden = options.refuseSecrets === true ? hiddenSecretPaths(value) : [];
    if (hidden.length > 0) {
        throw new InputError(
            `network outputs from ${label} hold "[secret]" placeholders (${hidden.join(", ")}): the files need these values in clear ` +
                "(a TargetGroupBinding's spec.assumeRoleExternalId is the registrar role's external ID, which the controller passes to sts:AssumeRole); " +
                "export them with `pulumi stack output --json --show-secrets -s network`",
        );
    }
    const problems = validateNetworkOutputs(value);
    if (problems.length === 1) {
        throw new InputError(`network outputs from ${label} do not match the contract: ${problems[0].message}`);
    }
    if (problems.length > 1) {
        throw new InputError(
            `network outputs from ${label} do not match the contract (${problems.length} problems):\n${problems.map(p => `  - ${p.message}`).join("\n")}`,
        );
    }
    return value as NetworkOutputs;
}

/**
 * The paths of the `"[secret]"` placeholders `pulumi stack output --json`
 * writes for secrets without `--show-secrets` (`clusters.blue.externalId`),
 * found without recursion.
 */
export function hiddenSecretPaths(value: unknown): string[] {
    const found: string[] = [];
    const pending: [unknown, string][] = [[value, ""]];
    while (pending.length > 0) {
        const [v, at] = pending.pop()!;
        if (v === HiddenSecret) {
            found.push(at || "(top level)");
        } else if (Array.isArray(v)) {
            v.forEach((item, i) => pending.push([item, join(at, i)]));
        } else if (isRecord(v)) {
            Object.keys(v).forEach(k => pending.push([v[k], join(at, k)]));
        }
    }
    return found.sort();
}

/** An outputs file's text, its size checked before it is read. */
async function readOutputsFile(file: string, shown: string): Promise<string> {
    try {
        const { size } = await stat(file);
        if (size > FileSizeLimits.outputs) {
            throw tooLarge(size, FileSizeLimits.outputs);
        }
        return await readFile(file, "utf8");
    } catch (e) {
        if (e instanceof DocumentError) {
            throw e;
        }
        throw new InputError(`cannot read network outputs ${JSON.stringify(shown)}: ${describeFsError(e)}`);
    }
}

/** Everything on `stream`; refused (`DocumentError`) as soon as it passes `limit` bytes. */
function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer | string) => {
            const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
            size += buffer.length;
            if (size > limit) {
                stream.removeListener("data", onData);
                stream.pause();
                reject(new DocumentError("", `more than ${formatBytes(limit)}, the limit`));
                return;
            }
            chunks.push(buffer);
        };
        stream.on("data", onData);
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        stream.on("error", err => reject(new InputError(`cannot read network outputs from stdin: ${err.message}`)));
    });
}

const NonEmpty = "expected a non-empty string";
const str = check((v): v is string => typeof v === "string" && v.length > 0, NonEmpty);

/**
 * A non-empty string that also follows `rule` (an ARN's, an external ID's):
 * anything but a non-empty string is refused as before, a string that
 * breaks the rule with `allowed`.
 */
function strMatching(rule: (value: string) => boolean, allowed: string): Reader<string> {
    return (p, path, value) => {
        const read = str(p, path, value);
        return read !== undefined && p.check(rule(read), path, read, allowed) ? read : undefined;
    };
}

const matches = (pattern: RegExp) => (value: string) => pattern.test(value);
const roleArn = strMatching(v => parseRoleArn(v) !== undefined, ArnAllowed.role);
const targetGroupArn = strMatching(matches(TargetGroupArnPattern), ArnAllowed.targetGroup);
const listenerArn = strMatching(matches(ListenerArnPattern), ArnAllowed.listener);
/** The external ID, or the `[secret]` placeholder of outputs exported without `--show-secrets` (the doctor warns about it). */
const externalIdOrHidden = strMatching(v => v === HiddenSecret || ExternalIdPattern.test(v), ExternalIdAllowed);
const strings = list(str, { notList: "expected a list of strings" });
const arnMap = map(() => str, { notMap: "expected an object of rule ARNs keyed by cluster" });
const allowed = { otherKeys: "allowed" } as const;

const loadBalancer = object(
    "expected an object with arn, securityGroupId and listenerArns",
    {
        arn: strMatching(matches(LoadBalancerArnPattern), ArnAllowed.loadBalancer),
        securityGroupId: str,
        listenerArns: nonEmptyMap(
            map(() => listenerArn, { notMap: "expected an object of listener ARNs keyed by http, https or existing" }),
            "expected at least one of http, https, existing",
        ),
    },
    allowed,
);

const service = object(
    "expected an object with port, protocol, targetType and weights",
    {
        port: integer(1, 65535),
        weights: map(() => integer(0, 999), { notMap: "expected an object of weights keyed by cluster" }),
        hosts: optional(strings),
        paths: optional(strings),
        nodePort: optional(integer(NodePortRange.from, NodePortRange.to)),
        ruleArn: optional(str),
        priority: optional(integer(1, 50000)),
        previewRuleArns: optional(arnMap),
    },
    allowed,
);

const targetGroup = object(
    "expected an object with arn, name, port, protocol and targetType",
    {
        arn: targetGroupArn,
        name: str,
        port: integer(1, 65535),
        protocol: str,
        targetType: str,
        healthCheckPort: optional(integer(1, 65535)),
        nodePort: optional(integer(NodePortRange.from, NodePortRange.to)),
    },
    allowed,
);

/** A cluster's entry: a cluster in another account than the network's has a registrar role and an external ID. */
function cluster(networkAccountId: unknown): Reader<unknown> {
    return (p, path, value) => {
        const crossAccount = typeof networkAccountId === "string" && isRecord(value) && value.accountId !== networkAccountId;
        const ifCrossAccount = <T>(reader: Reader<T>) => (crossAccount ? reader : optional(reader));
        return object(
            "expected an object with accountId, controllerRoleArn and targetGroups",
            {
                accountId,
                weight: integer(0, 999),
                controllerRoleArn: roleArn,
                registrarRoleArn: ifCrossAccount(roleArn),
                externalId: ifCrossAccount(externalIdOrHidden),
                retiring: optional(trueOrFalse),
                services: optional(strings),
                previewSlot: optional(integer(1, 9)),
                targetGroups: map(() => targetGroup, { notMap: "expected an object of target groups keyed by service" }),
            },
            allowed,
        )(p, path, value);
    };
}

const preview = object(
    "expected an object with header and defaultActionRuleArns",
    {
        header: str,
        defaultActionRuleArns: arnMap,
        sourceCidrs: optional(strings),
        tokenRequired: optional(trueOrFalse),
    },
    allowed,
);

const vpcSharing = object(
    "expected an object with resourceShareArn, subnetIds and principals",
    {
        resourceShareArn: str,
        subnetIds: strings,
        principals: strings,
    },
    allowed,
);

/** A map that must have an entry, said with `allowed` (the map's own shape is its reader's to say). */
function nonEmptyMap<T>(reader: Reader<Record<string, T>>, allowed: string): Reader<Record<string, T>> {
    return (p, path, value) => {
        const read = reader(p, path, value);
        return read !== undefined && isRecord(value) && !p.check(Object.keys(value).length > 0, path, value, allowed) ? undefined : read;
    };
}

/**
 * Every way `value` departs from the {@link NetworkOutputs} contract, as
 * errors naming the path (`clusters.blue.targetGroups`). Only the fields the
 * commands read are required; fields added in later versions (rule ARNs,
 * preview rules, the services a cluster runs, whether it is retiring) are
 * checked when present, so outputs of older network stacks still pass. The
 * account IDs, ARNs and external IDs follow the rules the components build
 * them by (components/internal/arn.ts), in any partition.
 */
export function validateNetworkOutputs(value: unknown): readonly ConfigError[] {
    if (!isRecord(value)) {
        return [new ConfigError("(top level)", value, "expected a JSON object (the network stack's outputs)")];
    }
    const p = new Problems();
    object(
        "expected a JSON object (the network stack's outputs)",
        {
            accountId,
            region: str,
            vpcId: str,
            securityGroupId: str,
            loadBalancer,
            services: map(() => service, { notMap: "expected an object keyed by service name" }),
            clusters: map(() => cluster(value.accountId), { notMap: "expected an object keyed by cluster key" }),
            defaultService: optional(str),
            preview: optional(preview),
            vpcSharing: optional(vpcSharing),
        },
        allowed,
    )(p, "", value);
    return p.errors;
}

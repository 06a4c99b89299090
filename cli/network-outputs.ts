import { readFile } from "fs/promises";
import * as path from "path";
import { NetworkOutputs } from "../components/internal/contract";
import { ConfigError } from "../components/internal/errors";
import { AccountIdPattern, AllowedText, accountIdQuoteHint, isNonEmptyString, isRecord, join } from "../components/internal/validate";
import { InputError, describeFsError } from "./input-files";

// The network stack's outputs as the commands read them back from
// `pulumi stack output --json -s network` (`doctor`, `manifests --network-outputs`).

const Expected = "expected the JSON of `pulumi stack output --json -s network`";

/**
 * Reads the network stack's outputs from a file (`source` as the user gave
 * it, relative to `cwd`) or from stdin when `source` is `-`, and checks them
 * against the contract. Throws {@link InputError}, worded the same for every
 * command.
 */
export async function loadNetworkOutputs(source: string, cwd: string, stdin: NodeJS.ReadableStream, options: ReadOptions = {}): Promise<NetworkOutputs> {
    let text: string;
    if (source === "-") {
        text = await readAll(stdin);
    } else {
        try {
            text = await readFile(path.resolve(cwd, source), "utf8");
        } catch (e) {
            throw new InputError(`cannot read network outputs ${JSON.stringify(source)}: ${describeFsError(e)}`);
        }
    }
    return parseNetworkOutputs(text, source === "-" ? "stdin" : source, options);
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
        value = JSON.parse(text);
    } catch (e) {
        throw new InputError(`network outputs from ${label} are not JSON (${(e as Error).message}); ${Expected}`);
    }
    if (isRecord(value) && Object.keys(value).length === 0) {
        throw new InputError(`network outputs from ${label} are an empty object: the network stack has no outputs (deploy it first: pulumi up -s network); ${Expected}`);
    }
    if (options.refuseSecrets === true && JSON.stringify(value).includes("\"[secret]\"")) {
        throw new InputError(`network outputs from ${label} hold "[secret]" placeholders; export them with \`pulumi stack output --json --show-secrets -s network\``);
    }
    const problems = validateNetworkOutputs(value);
    if (problems.length === 1) {
        throw new InputError(`network outputs from ${label} do not match the contract: ${problems[0].message}`);
    }
    if (problems.length > 1) {
        throw new InputError(`network outputs from ${label} do not match the contract (${problems.length} problems):\n${problems.map(p => `  - ${p.message}`).join("\n")}`);
    }
    return value as NetworkOutputs;
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer | string) => chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        stream.on("error", err => reject(new InputError(`cannot read network outputs from stdin: ${err.message}`)));
    });
}

/**
 * Every way `value` departs from the {@link NetworkOutputs} contract, as
 * errors naming the path (`clusters.blue.targetGroups`). Only the fields the
 * commands read are required; fields added in later versions (rule ARNs,
 * preview rules, the services a cluster runs, whether it is retiring) are
 * checked when present, so outputs of older network stacks still pass.
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
    const account = (p: string, v: unknown): void => {
        if (typeof v !== "string" || !AccountIdPattern.test(v)) {
            found.push(new ConfigError(p, v, `${AllowedText.accountId}${accountIdQuoteHint(v)}`));
        }
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
    const optional = <T>(v: T | undefined, check: (x: T) => void): void => {
        if (v !== undefined) {
            check(v);
        }
    };
    const strings = (p: string, v: unknown): void => {
        if (!Array.isArray(v)) {
            found.push(new ConfigError(p, v, "expected a list of strings"));
            return;
        }
        v.forEach((x, i) => str(join(p, i), x));
    };
    const arnMap = (p: string, v: unknown): void => {
        if (obj(p, v, "an object of rule ARNs keyed by cluster")) {
            for (const [key, arn] of Object.entries(v)) {
                str(join(p, key), arn);
            }
        }
    };
    if (!obj("", value, "a JSON object (the network stack's outputs)")) {
        found[0] = new ConfigError("(top level)", value, "expected a JSON object (the network stack's outputs)");
        return found;
    }
    account("accountId", value.accountId);
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
                optional(svc.hosts, v => strings(join(p, "hosts"), v));
                optional(svc.paths, v => strings(join(p, "paths"), v));
                optional(svc.nodePort, v => int(join(p, "nodePort"), v, 30000, 32767));
                optional(svc.ruleArn, v => str(join(p, "ruleArn"), v));
                optional(svc.priority, v => int(join(p, "priority"), v, 1, 50000));
                optional(svc.previewRuleArns, v => arnMap(join(p, "previewRuleArns"), v));
            }
        }
    }
    if (obj("clusters", value.clusters, "an object keyed by cluster key")) {
        for (const [key, cluster] of Object.entries(value.clusters)) {
            const p = join("clusters", key);
            if (!obj(p, cluster, "an object with accountId, controllerRoleArn and targetGroups")) {
                continue;
            }
            account(join(p, "accountId"), cluster.accountId);
            int(join(p, "weight"), cluster.weight, 0, 999);
            str(join(p, "controllerRoleArn"), cluster.controllerRoleArn);
            const crossAccount = typeof value.accountId === "string" && cluster.accountId !== value.accountId;
            if (crossAccount || cluster.registrarRoleArn !== undefined) {
                str(join(p, "registrarRoleArn"), cluster.registrarRoleArn);
            }
            if (crossAccount || cluster.externalId !== undefined) {
                str(join(p, "externalId"), cluster.externalId);
            }
            optional(cluster.retiring, v => {
                if (typeof v !== "boolean") {
                    found.push(new ConfigError(join(p, "retiring"), v, "expected true or false"));
                }
            });
            optional(cluster.services, v => strings(join(p, "services"), v));
            optional(cluster.previewSlot, v => int(join(p, "previewSlot"), v, 1, 9));
            if (obj(join(p, "targetGroups"), cluster.targetGroups, "an object of target groups keyed by service")) {
                for (const [service, tg] of Object.entries(cluster.targetGroups)) {
                    const tp = join(join(p, "targetGroups"), service);
                    if (obj(tp, tg, "an object with arn, name, port, protocol and targetType")) {
                        str(join(tp, "arn"), tg.arn);
                        str(join(tp, "name"), tg.name);
                        int(join(tp, "port"), tg.port, 1, 65535);
                        str(join(tp, "protocol"), tg.protocol);
                        str(join(tp, "targetType"), tg.targetType);
                        optional(tg.healthCheckPort, v => int(join(tp, "healthCheckPort"), v, 1, 65535));
                        optional(tg.nodePort, v => int(join(tp, "nodePort"), v, 30000, 32767));
                    }
                }
            }
        }
    }
    optional(value.defaultService, v => str("defaultService", v));
    optional(value.preview, v => {
        if (obj("preview", v, "an object with header and defaultActionRuleArns")) {
            str("preview.header", v.header);
            arnMap("preview.defaultActionRuleArns", v.defaultActionRuleArns);
        }
    });
    return found;
}

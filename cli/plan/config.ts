import * as fs from "fs";
import * as path from "path";
import { DocumentError, dataMap, refuseReservedKeys, isRecord } from "../../components/internal";
import { FileSizeLimits, InputError, describeFsError, parseYamlData, readLimitedFile } from "../input-files";

/**
 * The roles a stack config may name in `<project>:role`. Kept equal to
 * `Roles` in stacks/programs.ts (a test checks it) without loading the
 * stack programs, so reading configs stays cheap.
 */
export const KnownRoles = ["network", "cluster"] as const;
/** A stack's role: which program it runs. */
export type StackRole = (typeof KnownRoles)[number];

/** The project name of this repository's stacks (Pulumi.yaml `name`). */
export const DefaultProject = "alb-fleet";

/** What `plan` passes for a `secure:` value, which cannot be decrypted offline. */
export const SecretPlaceholder = "shared-alb-plan-secret-placeholder";

/** Account used for fake ARNs when a config has none (the program then reports the missing key). */
export const UnknownAccountId = "000000000000";

/** One `Pulumi.<stack>.yaml`, read and checked at the file level. */
export interface StackConfig {
    /** Stack name, from the file name. */
    stack: string;
    /** Absolute path of the config file. */
    file: string;
    project: string;
    role: StackRole;
    /** Full config keys to string values, as the engine passes them to a program. */
    config: Record<string, string>;
    /** Config keys passed as secrets (they held `secure:` values). */
    secretKeys: string[];
    /** Dotted paths of the `secure:` values replaced by `SecretPlaceholder`. */
    securePaths: string[];
    /** Account of the stack's resources (fake ARNs are built from it). */
    accountId: string;
    region: string;
    /** Cluster stacks: the stack reference name of their network stack, as configured. */
    networkStack?: string;
}

/** A problem with one config file, found before any program runs. */
export interface ConfigProblem {
    file: string;
    stack?: string;
    message: string;
}

/** The result of reading a config directory: every stack, or the problems found. */
export interface LoadedConfigs {
    stacks: StackConfig[];
    problems: ConfigProblem[];
}

const FilePattern = /^Pulumi\.(.+)\.ya?ml$/;

/**
 * Reads every `Pulumi.<stack>.yaml` of a directory, sorted by stack name.
 * Structured values become JSON strings, scalars strings; `secure:` values
 * become `SecretPlaceholder` and their keys are listed as secret. Problems
 * (unreadable YAML, no `config:` map, missing or unknown role, missing
 * region, missing structured key) are collected for every file.
 */
export function loadStackConfigs(dir: string, project: string = DefaultProject): LoadedConfigs {
    const problems: ConfigProblem[] = [];
    let entries: string[];
    try {
        entries = fs.readdirSync(dir);
    } catch (e) {
        return { stacks: [], problems: [{ file: dir, message: `cannot read the config directory: ${describeFsError(e)}` }] };
    }
    const files = entries.filter(f => FilePattern.test(f)).sort();
    if (files.length === 0) {
        return { stacks: [], problems: [{ file: dir, message: "no Pulumi.<stack>.yaml files in the config directory" }] };
    }
    const stacks: StackConfig[] = [];
    for (const name of files) {
        const file = path.resolve(dir, name);
        const stack = FilePattern.exec(name)![1];
        const found: string[] = [];
        const loaded = readStackConfig(file, stack, project, found);
        if (found.length > 0 || loaded === undefined) {
            problems.push(...found.map(message => ({ file, stack, message })));
        } else {
            stacks.push(loaded);
        }
    }
    const seen = new Map<string, string>();
    for (const s of stacks) {
        const other = seen.get(s.stack);
        if (other !== undefined) {
            problems.push({
                file: s.file,
                stack: s.stack,
                message: `stack ${JSON.stringify(s.stack)} is also configured in ${path.basename(other)}`,
            });
        }
        seen.set(s.stack, s.file);
    }
    return { stacks, problems };
}

/**
 * One `Pulumi.<stack>.yaml`: its config as the engine passes it, with its
 * role, account and region; undefined with `problems` added when the file is
 * not a stack config this plan can run.
 */
function readStackConfig(file: string, stack: string, project: string, problems: string[]): StackConfig | undefined {
    const docConfig = readConfigMap(file, problems);
    if (docConfig === undefined) {
        return undefined;
    }
    const { config, secretKeys, securePaths, plain } = engineConfig(docConfig, project);
    const role = readRole(plain, project, problems);
    if (role === undefined) {
        return undefined;
    }
    const structuredKey = `${project}:${role}`;
    const structured = plain[structuredKey];
    if (!isRecord(structured)) {
        problems.push(
            structured === undefined
                ? `${structuredKey} is missing; a ${role} stack needs its settings under this key`
                : `${structuredKey}: expected a map of settings, got ${JSON.stringify(structured)}`,
        );
    }
    const region = plain["aws:region"];
    if (typeof region !== "string" || region === "") {
        problems.push(`aws:region is missing; expected an AWS region such as "eu-west-1"`);
    }
    if (problems.length > 0 || !isRecord(structured) || typeof region !== "string") {
        return undefined;
    }
    const accountId = typeof structured.accountId === "string" ? structured.accountId : UnknownAccountId;
    const networkStack = role === "cluster" && typeof structured.networkStack === "string" ? structured.networkStack : undefined;
    return {
        stack,
        file,
        project,
        role,
        config,
        secretKeys,
        securePaths,
        accountId,
        region,
        ...(networkStack !== undefined ? { networkStack } : {}),
    };
}

/** The file's top-level `config:` map; undefined, with the problem added, when it is not YAML or has none. */
function readConfigMap(file: string, problems: string[]): Record<string, unknown> | undefined {
    let doc: unknown;
    try {
        doc = parseYamlData(readLimitedFile(file, path.basename(file), FileSizeLimits.config));
        refuseReservedKeys(doc);
    } catch (e) {
        if (!(e instanceof DocumentError || e instanceof InputError)) {
            throw e;
        }
        problems.push(e.message);
        return undefined;
    }
    if (!isRecord(doc) || !isRecord(doc.config)) {
        problems.push("expected a top-level `config:` map of `<project>:<key>` to values");
        return undefined;
    }
    return doc.config;
}

/**
 * The config as the engine passes it (full keys, sorted, to string values;
 * `secure:` values replaced by the placeholder, their keys and paths
 * recorded), and the same values unparsed by key.
 */
function engineConfig(
    docConfig: Record<string, unknown>,
    project: string,
): { config: Record<string, string>; secretKeys: string[]; securePaths: string[]; plain: Record<string, unknown> } {
    const config = dataMap<string>();
    const secretKeys: string[] = [];
    const securePaths: string[] = [];
    const plain = dataMap<unknown>();
    for (const rawKey of Object.keys(docConfig).sort()) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        const before = securePaths.length;
        const value = replaceSecure(docConfig[rawKey], key, securePaths);
        if (value === undefined || value === null) {
            continue;
        }
        plain[key] = value;
        config[key] = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
        if (securePaths.length > before) {
            secretKeys.push(key);
        }
    }
    return { config, secretKeys, securePaths, plain };
}

/** `<project>:role`, one of the known roles; undefined, with the problem added, when missing or unknown. */
function readRole(plain: Record<string, unknown>, project: string, problems: string[]): StackRole | undefined {
    const roleKey = `${project}:role`;
    const role = plain[roleKey];
    if (role === undefined) {
        problems.push(`${roleKey} is missing; expected one of ${KnownRoles.map(r => JSON.stringify(r)).join(", ")}`);
        return undefined;
    }
    if (typeof role !== "string" || !(KnownRoles as readonly string[]).includes(role)) {
        problems.push(`${roleKey}: got ${JSON.stringify(role)}; expected one of ${KnownRoles.map(r => JSON.stringify(r)).join(", ")}`);
        return undefined;
    }
    return role as StackRole;
}

/** Replaces every `{ secure: ... }` value by the placeholder, recording its path. */
export function replaceSecure(value: unknown, at: string, found: string[]): unknown {
    if (Array.isArray(value)) {
        return value.map((v, i) => replaceSecure(v, `${at}[${i}]`, found));
    }
    if (isRecord(value)) {
        const keys = Object.keys(value);
        if (keys.length === 1 && keys[0] === "secure") {
            found.push(at);
            return SecretPlaceholder;
        }
        const out = dataMap<unknown>();
        for (const k of keys) {
            out[k] = replaceSecure(value[k], `${at}.${k}`, found);
        }
        return out;
    }
    return value;
}

/** The last path segment of a stack reference name (`org/alb-fleet/network` -> `network`). */
export function shortStackName(reference: string): string {
    const parts = reference.split("/");
    return parts[parts.length - 1];
}

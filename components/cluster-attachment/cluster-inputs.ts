/**
 * The cluster's inputs of `ClusterAttachmentArgs`: the `Input`-typed values
 * that describe the cluster (name, OIDC provider and issuer, VPC, region,
 * ALB security group, node security group IDs). Each is read where it is
 * known: a plain value at construction (`collectKnownClusterInputs`), an
 * output once it resolves (`readClusterInput`, `readNodeSecurityGroupId`),
 * with the same path-named message. Pure: no Pulumi runtime.
 */
import { ArnAllowed, OidcProviderArnPattern, arnAccount, partitionOf } from "../internal/arn";
import { Problems } from "../internal/errors";
import { Reader, input, isRecord, join, map, readOrThrow, text } from "../internal/read";
import { AllowedText, ClusterNamePattern, region, securityGroupId, vpcId } from "../internal/values";
import { hasOwn } from "../internal/data";
import { ClusterAttachmentArgs } from "./args";
import { ClusterAccount, ClusterInputs, MaxCrossAccountClusterName } from "./model";

/** The cluster's inputs, in the order messages list them. */
export const ClusterInputKeys = ["clusterName", "oidcIssuer", "oidcProviderArn", "vpcId", "region", "albSecurityGroupId"] as const;
export type ClusterInputKey = (typeof ClusterInputKeys)[number];

/** The arguments that carry the cluster's inputs. */
export type ClusterInputArgs = Pick<ClusterAttachmentArgs, ClusterInputKey | "nodeSecurityGroupIds">;

/** Issuer: host and path, with or without `https://`. */
export const IssuerPattern = /^(https:\/\/)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[A-Za-z0-9._~-]+)*\/?$/;

/** What an absent region says. */
export const RegionMissing =
    'expected the region, such as "eu-west-1", or an AWS provider in the options (provider, providers, or the parent\'s) ' +
    "to take it from; the ambient aws:region config is not read";

/** The cluster's inputs read at construction: the plain ones (an output is read once it resolves). */
export interface KnownClusterInputs {
    values: Partial<ClusterInputs>;
    /** The node security group IDs given as plain values, by key. */
    nodeSecurityGroupIds: Record<string, string>;
}

/** The reader of each cluster input, given the cluster's account (the name's length and the provider's account depend on it). */
function clusterInputReaders(account: ClusterAccount): { [K in ClusterInputKey]: Reader<string> } {
    const clusterName: Reader<string> = (p, path, value) => {
        const name = text(ClusterNamePattern, AllowedText.clusterName)(p, path, value);
        return name !== undefined &&
            p.check(
                !account.crossAccount || name.length <= MaxCrossAccountClusterName,
                path,
                name,
                `a cross-account cluster's name must be at most ${MaxCrossAccountClusterName} characters (STS session name "AWS-LBC-<clusterName>" is limited to 64)`,
            )
            ? name
            : undefined;
    };
    const oidcProviderArn: Reader<string> = (p, path, value) => {
        const arn = text(OidcProviderArnPattern, ArnAllowed.oidcProvider)(p, path, value);
        return arn !== undefined &&
            p.check(
                account.accountId === undefined || arnAccount(arn) === account.accountId,
                path,
                arn,
                `expected the OIDC provider of the cluster's account ${account.accountId}`,
            )
            ? arn
            : undefined;
    };
    const regionOf: Reader<string> = (p, path, value) => {
        if (value === undefined) {
            return void p.add(path, value, RegionMissing);
        }
        const name = region(p, path, value);
        return name !== undefined &&
            p.check(
                account.partition === undefined || partitionOf(name) === account.partition,
                path,
                name,
                `expected a region of the ${account.partition} partition, the partition of cluster.controllerRoleArn`,
            )
            ? name
            : undefined;
    };
    return {
        clusterName,
        oidcIssuer: text(
            IssuerPattern,
            'expected the OIDC issuer URL, with or without https://, e.g. "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"',
        ),
        oidcProviderArn,
        vpcId,
        region: regionOf,
        albSecurityGroupId: securityGroupId,
    };
}

/** `nodeSecurityGroupIds`: a map of security group IDs (its keys are the plan's); the plain IDs, read. */
const nodeSecurityGroupIdMap = map(() => input(securityGroupId), {
    notMap: 'expected security group IDs keyed by a stable name, e.g. { nodes: "sg-0123456789abcdef0" }',
});

/**
 * Reads the cluster's inputs given as plain values, adding a problem per
 * refused one; outputs are left for `readClusterInput` once they resolve. A
 * missing value is a problem, but for a region the component's AWS provider
 * gives (`regionFromProvider`).
 */
export function collectKnownClusterInputs(
    problems: Problems,
    args: unknown,
    account: ClusterAccount,
    root: string,
    regionFromProvider: boolean,
): KnownClusterInputs {
    const given = isRecord(args) ? args : {};
    const readers = clusterInputReaders(account);
    const values: Partial<ClusterInputs> = {};
    for (const key of ClusterInputKeys) {
        if (key === "region" && given.region === undefined && regionFromProvider) {
            continue;
        }
        values[key] = input(readers[key])(problems, join(root, key), given[key]);
    }
    const ids = nodeSecurityGroupIdMap(problems, join(root, "nodeSecurityGroupIds"), given.nodeSecurityGroupIds ?? {}) ?? {};
    return { values, nodeSecurityGroupIds: ids };
}

/**
 * The cluster's inputs: those read at construction (`known`), and those
 * that became known at deployment time (`resolved`), read now with the
 * messages their plain values get; throws `ConfigErrors` naming every
 * problem.
 */
export function completeClusterInputs(
    known: Partial<ClusterInputs>,
    resolved: Partial<Record<ClusterInputKey, unknown>>,
    account: ClusterAccount,
): ClusterInputs {
    const problems = new Problems();
    const readers = clusterInputReaders(account);
    const read: Partial<ClusterInputs> = { ...known };
    for (const key of ClusterInputKeys.filter(k => hasOwn(resolved, k))) {
        read[key] = readers[key](problems, key, resolved[key]);
    }
    problems.throwIfAny();
    const { clusterName, oidcIssuer, oidcProviderArn, vpcId, region, albSecurityGroupId } = read;
    if (
        clusterName === undefined ||
        oidcIssuer === undefined ||
        oidcProviderArn === undefined ||
        vpcId === undefined ||
        region === undefined ||
        albSecurityGroupId === undefined
    ) {
        throw new Error("completeClusterInputs: a cluster input is not known, and no problem was recorded");
    }
    return { clusterName, oidcIssuer, oidcProviderArn, vpcId, region, albSecurityGroupId };
}

/** Reads a node security group ID that became known at deployment time (`nodeSecurityGroupIds.<key>`); throws `ConfigErrors`. */
export function readNodeSecurityGroupId(key: string, value: unknown): string {
    const path = join("nodeSecurityGroupIds", key);
    return known(readOrThrow(securityGroupId, path, value), path);
}

function known(value: string | undefined, path: string): string {
    if (value === undefined) {
        throw new Error(`${path} was refused, and no problem was recorded`);
    }
    return value;
}

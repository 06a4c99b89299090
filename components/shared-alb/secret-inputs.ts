/**
 * The arguments that hold secrets (`preview.token`,
 * `clusters.<key>.externalId`), taken apart from the rest. The component
 * resolves the rest into the model that names and shapes every resource;
 * a secret resolved with it would make the model, and every input derived
 * from it (names, tags, subnets), a secret too. Each secret stays an Output
 * of its own instead, reaching only the rule conditions, trust policies and
 * outputs that hold it. Pure: no Pulumi runtime.
 */
import { dataMap } from "../internal/data";
import { isRecord } from "../internal/read";

/** The secret arguments, as given (plain strings or Outputs). */
export interface SecretInputs {
    previewToken?: unknown;
    /** By cluster key: the clusters that give one. */
    externalIds: Record<string, unknown>;
}

/** The arguments without their secrets, and the secrets. Arguments of another shape are left whole (their reader refuses them). */
export function withoutSecretInputs(args: Record<string, unknown>): { rest: Record<string, unknown>; secrets: SecretInputs } {
    const rest: Record<string, unknown> = { ...args };
    const secrets: SecretInputs = { externalIds: dataMap() };
    if (isRecord(args.preview) && args.preview.token !== undefined) {
        const { token, ...preview } = args.preview;
        secrets.previewToken = token;
        rest.preview = preview;
    }
    if (isRecord(args.clusters)) {
        const clusters = dataMap();
        for (const [key, cluster] of Object.entries(args.clusters)) {
            if (isRecord(cluster) && cluster.externalId !== undefined) {
                const { externalId, ...others } = cluster;
                secrets.externalIds[key] = externalId;
                clusters[key] = others;
            } else {
                clusters[key] = cluster;
            }
        }
        rest.clusters = clusters;
    }
    return { rest, secrets };
}

/** The arguments with their secrets put back where they were given. */
export function withSecretInputs(rest: Record<string, unknown>, secrets: SecretInputs): Record<string, unknown> {
    const out: Record<string, unknown> = { ...rest };
    if (secrets.previewToken !== undefined && isRecord(rest.preview)) {
        out.preview = { ...rest.preview, token: secrets.previewToken };
    }
    if (isRecord(rest.clusters)) {
        const clusters = rest.clusters;
        out.clusters = Object.fromEntries(Object.entries(clusters).map(([key, cluster]) => [key,
            Object.hasOwn(secrets.externalIds, key) && isRecord(cluster) ? { ...cluster, externalId: secrets.externalIds[key] } : cluster]));
    }
    return out;
}

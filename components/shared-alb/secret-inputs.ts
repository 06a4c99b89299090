/**
 * The arguments that hold secrets (`preview.token`,
 * `clusters.<key>.externalId`). They are not among the plan's inputs: each
 * stays an Output of its own, reaching only the rule conditions, trust
 * policies and outputs that hold it, so no name, tag or subnet derived from
 * the inputs becomes a secret. Pure: no Pulumi runtime.
 */
import { dataMap } from "../internal/data";
import { isRecord } from "../internal/read";

/** The secret arguments, as given (plain strings or Outputs). */
export interface SecretInputs {
    previewToken?: unknown;
    /** By cluster key: the clusters that give one. */
    externalIds: Record<string, unknown>;
}

/** The secrets of the arguments. Arguments of another shape give none (their reader refuses them). */
export function secretInputsOf(args: Record<string, unknown>): SecretInputs {
    const secrets: SecretInputs = { externalIds: dataMap() };
    if (isRecord(args.preview) && args.preview.token !== undefined) {
        secrets.previewToken = args.preview.token;
    }
    if (isRecord(args.clusters)) {
        for (const [key, cluster] of Object.entries(args.clusters)) {
            if (isRecord(cluster) && cluster.externalId !== undefined) {
                secrets.externalIds[key] = cluster.externalId;
            }
        }
    }
    return secrets;
}

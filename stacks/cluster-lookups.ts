import { aws, k8s } from "../components/internal/sdk";
import * as pulumi from "@pulumi/pulumi";

/** Tag on an IAM OIDC provider a cluster stack created: `<project>/<stack>`. */
export const OidcProviderOwnerTag = "shared-alb:stack";

/** An IAM OIDC provider of the account, found by its issuer URL. */
export interface FoundOidcProvider {
    arn: string;
    tags: Record<string, string>;
}

/**
 * The IAM OIDC provider of an issuer (`https://oidc.eks...`), or undefined
 * when the account has none. The provider's data source lists the account's
 * providers and fails with "couldn't find resource" when none matches; any
 * other failure (access denied...) is rethrown.
 */
export async function findOidcProvider(issuerUrl: string): Promise<FoundOidcProvider | undefined> {
    try {
        const found = await aws.iam.getOpenIdConnectProvider({ url: issuerUrl });
        return { arn: found.arn, tags: found.tags ?? {} };
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (/couldn't find resource/.test(message)) {
            return undefined;
        }
        throw new Error(`looking up the IAM OIDC provider of ${issuerUrl}: ${message}`);
    }
}

/**
 * Reads each namespace from the cluster (`Namespace.get`, named
 * `<key>-existing-ns-<namespace>`) and returns those that do not exist, sorted.
 * A read of a missing object fails, as in a real deployment; only that is
 * turned into the answer.
 */
export async function missingNamespaces(key: string, namespaces: string[], provider: k8s.Provider): Promise<string[]> {
    const results = await Promise.all(
        namespaces.map(async ns => {
            const read = k8s.core.v1.Namespace.get(`${key}-existing-ns-${ns}`, ns, { provider });
            try {
                await settled(read.id);
                return undefined;
            } catch (e) {
                if (/does not exist|not found/i.test(e instanceof Error ? e.message : String(e))) {
                    return ns;
                }
                throw e;
            }
        }),
    );
    return results.filter((ns): ns is string => ns !== undefined).sort();
}

/**
 * The value of an output, or its failure. `apply` never runs when the
 * resource behind the output failed, so this reads the output's promise
 * (internal to the SDK, which is pinned;
 * tests/component/cluster-stack-first-up.test.ts covers it).
 */
function settled<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

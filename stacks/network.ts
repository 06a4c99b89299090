import { SharedAlb, SharedAlbArgs, readDeployedAllocation } from "../components";
import { NetworkCredentialsFix, Problems, accountId, checkCredentialsAccount, isRecord } from "../components/internal";
import { aws } from "../components/internal/sdk";
import * as pulumi from "@pulumi/pulumi";
import { configDocument } from "./config-document";

/**
 * The network stack: the pet ALB and everything it owns, from the structured
 * config key `alb-fleet:network`. Its outputs are the public contract the
 * cluster stacks read (see components/internal/contract.ts).
 */
export async function networkProgram(): Promise<Record<string, unknown>> {
    const config = new pulumi.Config("alb-fleet");
    const network = configDocument(config.require("network"), "alb-fleet:network") as SharedAlbArgs;
    const args: SharedAlbArgs = { ...network, region: network.region ?? aws.config.region };
    const misplaced = new Problems();
    misplaced.check(
        network.deployedAllocation === undefined,
        "deployedAllocation",
        network.deployedAllocation,
        "the network stack reads it from its own outputs (the last update's priorities and preview slots): remove it from alb-fleet:network",
    );
    misplaced.throwIfAny();
    // The credentials before anything is created (SharedAlb reads and checks the rest before it registers anything); a malformed
    // accountId is left for SharedAlb, which reports it with every other problem of the config.
    const account = accountId(new Problems(), "accountId", network.accountId);
    if (account !== undefined) {
        const credentials = new Problems();
        checkCredentialsAccount(credentials, "accountId", account, (await aws.getCallerIdentity()).accountId, NetworkCredentialsFix);
        credentials.throwIfAny();
    }
    // Rules and clusters that stay keep the places this stack's last update gave them.
    const deployedAllocation = await readDeployedAllocation();
    const alb = new SharedAlb("shared-alb", withSecrets({ ...args, deployedAllocation }));
    return { ...alb.stackOutputs };
}

/**
 * The arguments with the values that are secrets (`preview.token`,
 * `clusters.<key>.externalId`) made Pulumi secrets. The config key holds
 * them in clear once read as an object (a `secure:` value inside it only
 * makes the whole key secret), so they are marked again here, whether or
 * not they were given as `secure:` values.
 */
export function withSecrets(args: SharedAlbArgs): SharedAlbArgs {
    const out: SharedAlbArgs = { ...args };
    const preview: unknown = args.preview;
    if (isRecord(preview) && preview.token !== undefined && preview.token !== null) {
        out.preview = { ...preview, token: pulumi.secret(preview.token as string) };
    }
    // Read as the config gives them: SharedAlb refuses what is not an object.
    if (isRecord(args.clusters)) {
        out.clusters = Object.fromEntries(
            Object.entries(args.clusters).map(([key, c]) => [
                key,
                !isRecord(c) || c.externalId === undefined || c.externalId === null
                    ? c
                    : { ...c, externalId: pulumi.secret(c.externalId as string) },
            ]),
        );
    }
    return out;
}

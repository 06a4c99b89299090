import { SharedAlb, SharedAlbArgs, readDeployedAllocation } from "../components";
import { Problems, validateSharedAlbArgs } from "../components/internal";
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
    // The config first (no AWS call needed), then the credentials: each fails as
    // one config error before anything is registered. SharedAlb checks both
    // again for other programs, but a credentials mismatch it finds can only
    // surface through its children's inputs.
    const misplaced = new Problems();
    misplaced.check(network.deployedAllocation === undefined, "deployedAllocation", network.deployedAllocation,
        "the network stack reads it from its own outputs (the last update's priorities and preview slots): remove it from alb-fleet:network");
    misplaced.throwIfAny();
    const model = validateSharedAlbArgs(args);
    const caller = await aws.getCallerIdentity();
    const problems = new Problems();
    problems.check(caller.accountId === model.accountId, "accountId", model.accountId,
        `the AWS credentials are for account ${caller.accountId}: deploy the network stack with the network account's credentials`);
    problems.throwIfAny();
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
    if (args.preview?.token !== undefined && args.preview.token !== null) {
        out.preview = { ...args.preview, token: pulumi.secret(args.preview.token) };
    }
    out.clusters = Object.fromEntries(Object.entries(args.clusters).map(([key, c]) => [key,
        c.externalId === undefined || c.externalId === null ? c : { ...c, externalId: pulumi.secret(c.externalId) }]));
    return out;
}

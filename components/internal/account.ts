/**
 * The one check of the deploying credentials' account: each stack, and
 * SharedAlb for programs of their own, runs it before it creates anything in
 * an account. Pure: no Pulumi runtime.
 */
import { ConfigError } from "./errors";

/** What the network stack's (and SharedAlb's) refusal tells the user to do. */
export const NetworkCredentialsFix = "deploy the network stack with the network account's credentials";

/**
 * The problem when the credentials are for `actual` while the config at
 * `path` says `expected`; undefined when they match. `fix` says what to do.
 */
export function credentialsProblem(path: string, expected: string, actual: string, fix: string): ConfigError | undefined {
    return actual === expected ? undefined : new ConfigError(path, expected, `the AWS credentials are for account ${actual}: ${fix}`);
}

/**
 * The one check of the deploying credentials' account: each stack, and
 * SharedAlb for programs of their own, runs it before it creates anything in
 * an account. Pure: no Pulumi runtime.
 */
import { Problems } from "./errors";

/** What the network stack's (and SharedAlb's) refusal tells the user to do. */
export const NetworkCredentialsFix = "deploy the network stack with the network account's credentials";

/**
 * Records a problem at `path` when the credentials are for `actual` while
 * the config says `expected`; `fix` says what to do. Gives whether they match.
 */
export function checkCredentialsAccount(p: Problems, path: string, expected: string, actual: string, fix: string): boolean {
    return p.check(actual === expected, path, expected, `the AWS credentials are for account ${actual}: ${fix}`);
}

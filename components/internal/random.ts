/**
 * The part of `@pulumi/random` this package uses. Import this instead of
 * `@pulumi/random`: its index loads every resource module (see aws.ts).
 */
export { RandomPassword } from "@pulumi/random/randomPassword";
export type { RandomPasswordArgs } from "@pulumi/random/randomPassword";

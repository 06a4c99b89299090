/**
 * The parts of `@pulumi/aws` this package uses, under the names of the
 * package's own namespaces (`aws.lb.TargetGroup`, `aws.config.region`...).
 * Import this instead of `@pulumi/aws`: the package index loads all of its
 * 300-odd modules, each submodule only its own index, whose members load on
 * first use. Add a submodule here when the code needs one;
 * tests/cli/loaded-modules.test.ts fails when a plan loads a package index.
 */
export * as config from "@pulumi/aws/config";
export * as ec2 from "@pulumi/aws/ec2";
export * as eks from "@pulumi/aws/eks";
export * as iam from "@pulumi/aws/iam";
export * as lb from "@pulumi/aws/lb";
export * as ram from "@pulumi/aws/ram";
export * as vpc from "@pulumi/aws/vpc";
export * as wafv2 from "@pulumi/aws/wafv2";
export { getCallerIdentity, getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export { Provider } from "@pulumi/aws/provider";
export type * as types from "@pulumi/aws/types";

/**
 * The AWS provider a component's options give it, and that provider's
 * region: the one lookup both components use for a region left out of their
 * arguments.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

/**
 * The AWS provider of the options: `provider`, one in `providers` (a list,
 * or a map such as `{ aws: ... }`), else the parent's. A provider reference
 * (as a component served to another language receives it) counts too.
 */
export function awsProviderOf(opts: pulumi.ComponentResourceOptions | undefined): pulumi.ProviderResource | undefined {
    const providers = opts?.providers;
    const listed = Array.isArray(providers) ? providers : Object.values(providers ?? {});
    return [opts?.provider, ...listed, opts?.parent?.getProvider("aws::region")].find(p => p !== undefined && aws.Provider.isInstance(p));
}

/**
 * The region of an AWS provider: its own `region` when it is a provider
 * object of this program, else (a provider reference, which has none of its
 * own) the region the provider answers `aws:index/getRegion` with.
 */
export function providerRegion(provider: pulumi.ProviderResource, parent: pulumi.Resource): pulumi.Output<string | undefined> {
    const own: unknown = Reflect.get(provider, "region");
    return pulumi.Output.isInstance(own)
        ? (own as pulumi.Output<string | undefined>)
        : aws.getRegionOutput({}, { provider, parent }).region;
}

/**
 * Reading the deployed allocation the way the engine offers a stack's last
 * outputs: a stack reference to the stack itself.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DeployedAllocationArgs } from "./args";
import { deployedAllocationOf } from "./deployed";

/** The running stack's fully qualified name (`<organization>/<project>/<stack>`), as a stack reference names it. */
export function ownStackName(): string {
    return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * The rule priorities and preview slots the running stack's last update
 * recorded in its outputs `services` and `clusters` (as a network stack
 * exports `SharedAlb`'s `stackOutputs`), for `SharedAlbArgs.deployedAllocation`.
 * The engine answers a stack reference with the stack's outputs as of its
 * last completed update (in a preview too), and with none for a stack never
 * deployed. Registers the stack reference `<name>` (a read, nothing created).
 *
 * @param name the stack reference's logical name.
 * @param opts e.g. a parent.
 */
export async function readDeployedAllocation(
    name = "deployed-allocation",
    opts?: pulumi.CustomResourceOptions,
): Promise<DeployedAllocationArgs> {
    const self = new pulumi.StackReference(name, { name: ownStackName() }, opts);
    const [services, clusters] = await Promise.all([self.getOutputDetails("services"), self.getOutputDetails("clusters")]);
    return deployedAllocationOf({ services: services.value ?? services.secretValue, clusters: clusters.value ?? clusters.secretValue });
}

import * as aws from "../components/internal/aws";
import * as pulumi from "@pulumi/pulumi";
import { SharedAlb } from "../components/shared-alb";
import { SharedAlbArgs } from "../components/shared-alb/args";

/**
 * The network stack: the pet ALB and everything it owns, from the structured
 * config key `alb-fleet:network`. Its outputs are the public contract the
 * cluster stacks read (see components/internal/contract.ts).
 */
export async function networkProgram(): Promise<Record<string, unknown>> {
    const config = new pulumi.Config("alb-fleet");
    const network = config.requireObject<SharedAlbArgs>("network");
    // SharedAlb checks every value (errors name the config path) before it registers anything.
    const alb = new SharedAlb("shared-alb", { ...network, region: network.region ?? aws.config.region });
    const o = alb.outputs;
    const outputs: Record<string, unknown> = {
        accountId: o.accountId,
        region: o.region,
        vpcId: o.vpcId,
        securityGroupId: o.securityGroupId,
        loadBalancer: o.loadBalancer,
        services: o.services,
        clusters: o.clusters,
    };
    if (alb.model.vpcSharing !== undefined) {
        outputs.vpcSharing = o.vpcSharing;
    }
    return outputs;
}

import { expect } from "chai";
import { ConfigErrors } from "../../components/internal/errors";
import { FleetModel, planSharedAlbArgs, validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { exampleNetworkArgs } from "../fixtures/network";

/** A value known only later, as the pure modules recognise a Pulumi Output (by its brand). */
const later = (): unknown => ({ __pulumiOutput: true });

/** What decides the resources and their logical names: keys, ports, rules, counts. */
function structure(m: FleetModel): unknown {
    return {
        clusters: Object.values(m.clusters).map(c => [c.key, c.accountId, c.weight, c.services, c.registrarRoleName, c.externalId]),
        services: Object.values(m.services).map(s => [s.name, s.port, s.priority, s.weights, s.clusters, s.hosts, s.paths]),
        cidrs: m.vpcCidrs.length, subnets: m.subnetIds.length, certificates: m.loadBalancer.certificateArns.length,
        ingress: m.loadBalancer.ingressCidrs, tagKeys: Object.keys(m.tags), lb: m.loadBalancer.name,
    };
}

function planMessages(args: Record<string, any>, regionLater = false): string[] {
    try {
        planSharedAlbArgs(args, regionLater);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigErrors);
        return (e as ConfigErrors).errors.map(x => x.message);
    }
    throw new Error("expected the plan to refuse the arguments");
}

describe("planSharedAlbArgs: what is known before anything is registered", () => {
    it("plans the structure of the plain arguments when every Input is an Output", () => {
        const args = exampleNetworkArgs();
        Object.assign(args, { region: later(), vpcId: later(), vpcCidr: later(), subnetIds: later(), tags: { team: later() } });
        args.loadBalancer.certificateArns = [later()];
        expect(structure(planSharedAlbArgs(args, false))).to.deep.equal(structure(validateSharedAlbArgs(exampleNetworkArgs())));
    });

    it("plans list items that are Outputs, and takes the region from the provider when none is given", () => {
        const args = exampleNetworkArgs();
        delete args.region;
        args.subnetIds = [later(), args.subnetIds[1]];
        delete args.vpcCidr;
        args.vpcCidrs = [later(), "100.64.0.0/16"];
        const plain = exampleNetworkArgs();
        delete plain.vpcCidr;
        plain.vpcCidrs = ["10.0.0.0/16", "100.64.0.0/16"];
        const model = planSharedAlbArgs(args, true);
        expect(structure(model)).to.deep.equal(structure(validateSharedAlbArgs(plain)));
        expect(model.vpcCidrs[1]).to.equal("100.64.0.0/16");
    });

    it("checks the plain values as validateSharedAlbArgs does, with its messages", () => {
        const args = exampleNetworkArgs();
        args.vpcId = later();
        args.clusters.blue.weight = 1000;
        expect(planMessages(args)).to.deep.equal(["clusters.blue.weight: got 1000; expected an integer from 0 to 999"]);
    });

    it("refuses Outputs where a value names a resource or is needed now, each by its path", () => {
        const args = exampleNetworkArgs();
        delete args.vpcCidr;
        args.vpcCidrs = [later(), later()];
        args.loadBalancer.certificateArns.push(later());
        args.loadBalancer.internal = true;
        args.services.web.port = later();
        expect(planMessages(args)).to.deep.equal([
            "vpcCidrs[1]: got an Output; expected a plain value, not an Output: a secondary CIDR names its egress rules (<name>-out-<ports>-<cidr>); only the primary (the first) may be an Output",
            "loadBalancer.certificateArns[1]: got an Output; expected a plain value, not an Output: a certificate after the first names its listener certificate resource; only the first (the listener's default) may be an Output",
            "loadBalancer.ingressCidrs: got nothing; required when the load balancer is internal and the VPC's primary CIDR is an Output: the ingress rules are named by their CIDRs",
            "services.web.port: got an Output; expected a plain value, known when the program runs (not an Output): it is checked before any resource is registered",
        ]);
    });

    it("needs a region, or a provider to take it from", () => {
        const args = exampleNetworkArgs();
        delete args.region;
        expect(planMessages(args)).to.deep.equal([
            "region: got nothing; expected an AWS region such as \"eu-west-1\"; give region, or the component an AWS provider with a region (the network stack reads it from its aws:region config)",
        ]);
        expect(planSharedAlbArgs(args, true).clusters.blue.key).to.equal("blue");
    });
});

import { expect } from "chai";
import fc from "fast-check";
import { ConfigErrors } from "../../components/internal/errors";
import { fleetModel } from "../../components/shared-alb/model";
import {
    FleetPlan,
    inputValuesOf,
    planSharedAlbArgs,
    readSharedAlbInputs,
    validateSharedAlbArgs,
} from "../../components/shared-alb/validate";
import { exampleNetworkArgs } from "../fixtures/network";
import { fleetArgs, fleets } from "./routing-fixtures";

/** A value known only later, as the pure modules recognise a Pulumi Output (by its brand). */
const anOutput = (): unknown => ({ __pulumiOutput: true });

/** What decides the resources and their logical names: keys, ports, rules, counts. */
function structure(m: FleetPlan): unknown {
    return {
        clusters: Object.values(m.clusters).map(c => [c.key, c.accountId, c.weight, c.services, c.registrarRoleName, c.externalId]),
        services: Object.values(m.services).map(s => [s.name, s.port, s.priority, s.weights, s.clusters, s.hosts, s.paths]),
        secondaryCidrs: m.secondaryVpcCidrs,
        certificates: m.loadBalancer.certificateCount,
        extraCertificates: m.loadBalancer.extraCertificateArns,
        ingress: m.loadBalancer.ingressCidrs,
        lb: m.loadBalancer.name,
    };
}

function planMessages(args: Record<string, any>, regionFromProvider = false): string[] {
    try {
        planSharedAlbArgs(args, regionFromProvider);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigErrors);
        return (e as ConfigErrors).errors.map(x => x.message);
    }
    throw new Error("expected the plan to refuse the arguments");
}

describe("planSharedAlbArgs: what is known before anything is registered", () => {
    it("plans the structure of the plain arguments when every Input is an Output", () => {
        const args = exampleNetworkArgs();
        Object.assign(args, {
            region: anOutput(),
            vpcId: anOutput(),
            vpcCidr: anOutput(),
            subnetIds: anOutput(),
            tags: { team: anOutput() },
        });
        args.loadBalancer.certificateArns = [anOutput()];
        expect(structure(planSharedAlbArgs(args, false))).to.deep.equal(structure(planSharedAlbArgs(exampleNetworkArgs(), false)));
    });

    it("plans list items that are Outputs, and takes the region from the provider when none is given", () => {
        const args = exampleNetworkArgs();
        delete args.region;
        args.subnetIds = [anOutput(), args.subnetIds[1]];
        delete args.vpcCidr;
        args.vpcCidrs = [anOutput(), "100.64.0.0/16"];
        const plain = exampleNetworkArgs();
        delete plain.vpcCidr;
        plain.vpcCidrs = ["10.0.0.0/16", "100.64.0.0/16"];
        const plan = planSharedAlbArgs(args, true);
        expect(structure(plan)).to.deep.equal(structure(planSharedAlbArgs(plain, false)));
        expect(plan.secondaryVpcCidrs).to.deep.equal(["100.64.0.0/16"]);
    });

    it("checks the plain values as validateSharedAlbArgs does, with its messages", () => {
        const args = exampleNetworkArgs();
        args.vpcId = anOutput();
        args.clusters.blue.weight = 1000;
        expect(planMessages(args)).to.deep.equal(["clusters.blue.weight: got 1000; expected an integer from 0 to 999"]);
    });

    it("refuses Outputs where a value names a resource or is needed now, each by its path", () => {
        const args = exampleNetworkArgs();
        delete args.vpcCidr;
        args.vpcCidrs = [anOutput(), anOutput()];
        args.loadBalancer.certificateArns.push(anOutput());
        args.loadBalancer.internal = true;
        args.services.web.port = anOutput();
        expect(planMessages(args)).to.deep.equal([
            "vpcCidrs[1]: got an Output; expected a plain value, not an Output: a secondary CIDR names its egress rules (<name>-out-<ports>-<cidr>); only the primary (the first) may be an Output",
            "loadBalancer.certificateArns[1]: got an Output; expected a plain value, not an Output: a certificate after the first names its listener certificate resource; only the first (the listener's default) may be an Output",
            "loadBalancer.ingressCidrs: got nothing; required when the load balancer is internal and the VPC's primary CIDR is an Output: the ingress rules are named by their CIDRs",
            "services.web.port: got an Output; expected a plain value, known when the program runs (not an Output): it is checked before any resource is registered",
        ]);
    });

    it("checks tag keys now and leaves a tag value that is an Output for later", () => {
        const args = exampleNetworkArgs();
        args.tags = { team: anOutput(), "aws:owner": "x", cost: "a\u0000b" };
        expect(planMessages(args)).to.deep.equal([
            'tags["aws:owner"]: got "aws:owner"; expected a tag key of 1..128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"',
            'tags.cost: got "a\\u0000b"; expected a string of at most 256 letters, digits, spaces and _.:/=+-@',
        ]);
    });

    it("needs a region, or a provider to take it from", () => {
        const args = exampleNetworkArgs();
        delete args.region;
        expect(planMessages(args)).to.deep.equal([
            'region: got nothing; expected an AWS region such as "eu-west-1"; give region, or the component an AWS provider with a region (the network stack reads it from its aws:region config)',
        ]);
        expect(planSharedAlbArgs(args, true).clusters.blue.key).to.equal("blue");
    });

    it("holds no value an Input may give as an Output: those are the inputs', read once they resolve", () => {
        const plan = planSharedAlbArgs(exampleNetworkArgs(), false);
        for (const key of ["region", "partition", "vpcId", "vpcCidrs", "subnetIds", "tags"]) {
            expect(plan).not.to.have.property(key);
        }
        expect(plan.loadBalancer).not.to.have.property("certificateArns");
        // And reading one does not compile (the type check of the tests fails when a line below stops being an error).
        // @ts-expect-error the region is an input: FleetInputs.region, read once it resolves
        void plan.region;
        // @ts-expect-error the VPC is an input
        void plan.vpcId;
        // @ts-expect-error the subnets are an input
        void plan.subnetIds;
        // @ts-expect-error the default certificate may be an Output: FleetInputs.certificateArns
        void plan.loadBalancer.certificateArns;
        // @ts-expect-error a controller role's ARN is in the region's partition: FleetInputs.controllerRoleArns
        void plan.clusters.blue.controllerRoleArn;
        // @ts-expect-error a target group's name covers the VPC: FleetInputs.targetGroupNames
        void plan.services.web.targetGroups.blue.name;
        expect(plan.loadBalancer).not.to.have.property("webAclArn");
        expect(Object.values(plan.clusters).map(c => Object.keys(c))).to.satisfy((keys: string[][]) =>
            keys.every(k => !k.includes("controllerRoleArn")),
        );
        expect(Object.values(plan.services).flatMap(s => Object.values(s.targetGroups))).to.satisfy((tgs: object[]) =>
            tgs.every(tg => !("name" in tg)),
        );
    });
});

describe("readSharedAlbInputs: the plan's inputs once they resolve", () => {
    it("reads the resolved values and derives the partition, controller role ARNs and target group names", () => {
        const args = exampleNetworkArgs();
        const plan = planSharedAlbArgs(args, false);
        const inputs = readSharedAlbInputs(plan, { ...inputValuesOf(args as any), region: "cn-north-1" });
        expect(inputs.partition).to.equal("aws-cn");
        expect(inputs.controllerRoleArns.blue).to.equal("arn:aws-cn:iam::222222222222:role/shared-alb-lbc-blue");
        expect(inputs.vpcCidrs).to.deep.equal(["10.0.0.0/16"]);
        const model = validateSharedAlbArgs(args);
        expect(inputs.targetGroupNames.blue.web).to.equal(model.services.web.targetGroups.blue.name);
        expect(inputs.targetGroupNames).to.deep.equal(
            Object.fromEntries(
                Object.keys(model.clusters).map(c => [
                    c,
                    Object.fromEntries(
                        Object.values(model.services)
                            .filter(s => s.clusters.includes(c))
                            .map(s => [s.name, s.targetGroups[c].name]),
                    ),
                ]),
            ),
        );
    });

    it("refuses a resolved value with the message its plain value gets", () => {
        const args = exampleNetworkArgs();
        args.vpcId = anOutput();
        args.tags = { team: anOutput() };
        const plan = planSharedAlbArgs(args, false);
        const values = { ...inputValuesOf(args as any), vpcId: "vpc-nope", tags: { team: "a\u0000b" } };
        expect(() => readSharedAlbInputs(plan, values)).to.throw(
            ConfigErrors,
            '2 configuration errors:\n  - vpcId: got "vpc-nope"; expected a VPC ID such as "vpc-0123456789abcdef0"\n  - tags.team: got "a\\u0000b"; expected a string of at most 256',
        );
    });

    it("checks the web ACL's region against the region the provider gives", () => {
        const args = exampleNetworkArgs();
        args.loadBalancer.webAclArn = "arn:aws:wafv2:ap-south-1:111111111111:regional/webacl/edge/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        delete args.region;
        const plan = planSharedAlbArgs(args, true);
        expect(plan.loadBalancer.webAcl).to.equal(true);
        expect(() => readSharedAlbInputs(plan, { ...inputValuesOf(args as any), region: "eu-west-1" })).to.throw(
            ConfigErrors,
            'loadBalancer.webAclArn: got "arn:aws:wafv2:ap-south-1:111111111111:regional/webacl/edge/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"; ' +
                "expected a web ACL in the ALB's partition and region (arn:aws:wafv2:eu-west-1:...)",
        );
    });
});

describe("the plan and its inputs, over generated fleets", () => {
    const regions = fc.constantFrom("eu-west-1", "us-east-2", "cn-north-1", "us-gov-west-1");
    const vpcIds = fc.constantFrom("vpc-0a1b2c3d4e5f60718", "vpc-0123456789abcdef0", "vpc-89abcdef");

    it("reads the same plan whether the Input arguments are plain or Outputs, and the same model once they resolve", () => {
        fc.assert(
            fc.property(fleets, regions, vpcIds, fc.boolean(), (f, region, vpcId, tagged) => {
                const plain = { ...fleetArgs(f), region, vpcId, ...(tagged ? { tags: { team: "shop", cost: "42" } } : {}) } as any;
                const outputs = {
                    ...plain,
                    region: anOutput(),
                    vpcId: anOutput(),
                    // An internal ALB (the generated preview fleets) names its ingress rules by the VPC's CIDRs: they stay plain there.
                    vpcCidrs: f.preview ? plain.vpcCidrs : [anOutput()],
                    subnetIds: anOutput(),
                    ...(tagged ? { tags: { team: anOutput(), cost: "42" } } : {}),
                };
                let model;
                try {
                    model = validateSharedAlbArgs(plain);
                } catch (e) {
                    // A fleet the plain arguments cannot have is refused by the plan alike, with the same messages.
                    expect(e).to.be.instanceOf(ConfigErrors);
                    expect(planMessages(outputs)).to.deep.equal((e as ConfigErrors).errors.map(x => x.message));
                    return;
                }
                const plan = planSharedAlbArgs(outputs, false);
                expect(plan).to.deep.equal(planSharedAlbArgs(plain, false));
                expect(fleetModel(plan, readSharedAlbInputs(plan, inputValuesOf(plain)))).to.deep.equal(model);
            }),
            { numRuns: 150 },
        );
    });
});

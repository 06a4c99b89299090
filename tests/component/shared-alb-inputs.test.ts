import * as acm from "@pulumi/aws/acm";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as aws from "../../components/internal/aws";
import { SharedAlb } from "../../components";
import { RecordedResource } from "../../cli/plan/mock-runtime";
import { Run, run, runError, runRefused, secretValue } from "../harness";
import { exampleNetworkArgs } from "../fixtures/network";

const Component = "shared-alb:index:SharedAlb";

/** The component's children, keyed `type::name`, with their inputs: what a plan of the component shows. */
function children(r: Run): Record<string, unknown> {
    const component = r.get(Component, "edge");
    return Object.fromEntries(r.resources.filter(x => x.parent === component.urn).map(x => [`${x.type}::${x.name}`, x.inputs]));
}

/** Runs the program and gives the message it failed with, whether it threw at once (a plain value) or once an Output resolved. */
async function failure(args: Record<string, any>, opts?: () => pulumi.ComponentResourceOptions): Promise<string> {
    const err = await runError(() => new SharedAlb("edge", args as any, opts?.()));
    return err.message;
}

/** Every ARN in the recorded inputs and outputs of the resources. */
function arnsIn(resources: RecordedResource[]): string[] {
    return [...new Set(resources.flatMap(x => JSON.stringify([x.inputs, x.outputs]).match(/arn:[a-z-]+:[^"\\]*/g) ?? []))].sort();
}

describe("SharedAlb with Outputs for its inputs", () => {
    it("plans the same resources when the VPC, its subnets, CIDR and certificate are Outputs of resources in the same stack", async () => {
        let made: { vpcId: string; cidr: string; subnets: string[]; certificate: string } | undefined;
        const withOutputs = await run(() => {
            const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });
            const subnets = ["a", "b"].map(
                (az, i) =>
                    new aws.ec2.Subnet(`public-${az}`, {
                        vpcId: vpc.id,
                        cidrBlock: `10.0.${i}.0/24`,
                        availabilityZone: `eu-west-1${az}`,
                    }),
            );
            const certificate = new acm.Certificate("shop", { domainName: "shop.example.com", validationMethod: "DNS" });
            const args = exampleNetworkArgs();
            const alb = new SharedAlb("edge", {
                ...args,
                vpcId: vpc.id,
                vpcCidr: vpc.cidrBlock,
                subnetIds: subnets.map(s => s.id),
                loadBalancer: { ...args.loadBalancer, certificateArns: [certificate.arn] },
                tags: { team: pulumi.output("platform") },
            } as any);
            pulumi.all([vpc.id, vpc.cidrBlock, pulumi.all(subnets.map(s => s.id)), certificate.arn]).apply(([vpcId, cidr, ids, arn]) => {
                made = { vpcId, cidr, subnets: ids, certificate: arn };
            });
            return { outputs: alb.outputs };
        });
        expect(made!.vpcId).to.match(/^vpc-[0-9a-f]{17}$/);
        const plain = exampleNetworkArgs();
        plain.vpcId = made!.vpcId;
        plain.vpcCidr = made!.cidr;
        plain.subnetIds = made!.subnets;
        plain.loadBalancer.certificateArns = [made!.certificate];
        const withValues = await run(() => ({ outputs: new SharedAlb("edge", plain as any).outputs }));
        expect(children(withOutputs)).to.deep.equal(children(withValues));
        expect(Object.keys(children(withOutputs))).to.have.length(17);
        expect(withOutputs.outputs.outputs).to.deep.equal(withValues.outputs.outputs);
        expect(withOutputs.get("aws:lb/loadBalancer:LoadBalancer", "edge-alb").inputs.subnets).to.deep.equal(made!.subnets);
        expect(withOutputs.get("aws:lb/targetGroup:TargetGroup", "edge-tg-blue-web").inputs.vpcId).to.equal(made!.vpcId);
    });

    describe("a bad value arriving as an Output fails with the message the plain value gets", () => {
        const cases: [string, (args: Record<string, any>, wrap: <T>(v: T) => T) => void, string][] = [
            [
                "vpcId",
                (a, w) => {
                    a.vpcId = w("vpc-nope");
                },
                'vpcId: got "vpc-nope"; expected a VPC ID such as "vpc-0123456789abcdef0"',
            ],
            [
                "a subnet",
                (a, w) => {
                    a.subnetIds = [a.subnetIds[0], w("subnet-x")];
                },
                'subnetIds[1]: got "subnet-x"; expected a subnet ID such as "subnet-0123456789abcdef0"',
            ],
            [
                "the subnet list",
                (a, w) => {
                    a.subnetIds = w([a.subnetIds[0]]);
                },
                'subnetIds: got ["subnet-0a1b2c3d4e5f60001"]; expected at least 2 subnets in different Availability Zones (an ALB needs two)',
            ],
            [
                "the VPC CIDR",
                (a, w) => {
                    a.vpcCidr = w("10.0.0.0/33");
                },
                'vpcCidr: got "10.0.0.0/33"; expected an IPv4 CIDR such as "10.0.0.0/16"',
            ],
            [
                "the primary of vpcCidrs",
                (a, w) => {
                    delete a.vpcCidr;
                    a.vpcCidrs = [w("10.0.0/16"), "100.64.0.0/16"];
                },
                'vpcCidrs[0]: got "10.0.0/16"; expected an IPv4 CIDR such as "10.0.0.0/16"',
            ],
            [
                "a certificate ARN",
                (a, w) => {
                    a.loadBalancer.certificateArns = [w("arn:aws:acm:eu-west-1:111111111111:cert")];
                },
                'loadBalancer.certificateArns[0]: got "arn:aws:acm:eu-west-1:111111111111:cert"; expected ACM certificate ARNs (arn:aws:acm:<region>:<account>:certificate/<id>)',
            ],
            [
                "a tag value",
                (a, w) => {
                    a.tags = { team: w("x".repeat(257)) };
                },
                `tags.team: got "${"x".repeat(257)}"; expected a string of at most 256 letters, digits, spaces and _.:/=+-@`,
            ],
            [
                "a web ACL of another region",
                (a, w) => {
                    a.loadBalancer.webAclArn = w(
                        "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-0123456789ab",
                    );
                },
                'loadBalancer.webAclArn: got "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/edge/a1b2c3d4-5678-90ab-cdef-0123456789ab"; ' +
                    "expected a web ACL in the ALB's partition and region (arn:aws:wafv2:eu-west-1:...): a regional web ACL protects resources of its own region only",
            ],
            [
                "a web ACL that is no ARN",
                (a, w) => {
                    a.loadBalancer.webAclArn = w("shop-edge-acl");
                },
                'loadBalancer.webAclArn: got "shop-edge-acl"; expected a regional AWS WAF web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)',
            ],
            [
                "the region",
                (a, w) => {
                    a.region = w("mars-north-1");
                },
                'region: got "mars-north-1"; expected an AWS region such as "eu-west-1"; give region, or the component an AWS provider with a region (the network stack reads it from its aws:region config)',
            ],
        ];
        for (const [what, set, message] of cases) {
            it(what, async () => {
                const plain = exampleNetworkArgs();
                set(plain, v => v);
                const later = exampleNetworkArgs();
                set(later, v => pulumi.output(v) as any);
                expect(await failure(plain)).to.equal(message);
                expect(await failure(later)).to.equal(message);
            });
        }

        it("two bad Outputs: both, in one message, as two plain values", async () => {
            const plain = exampleNetworkArgs();
            plain.vpcId = "vpc-nope";
            plain.tags = { team: 7 };
            const later = exampleNetworkArgs();
            later.vpcId = pulumi.output("vpc-nope");
            later.tags = { team: pulumi.output(7) };
            const expected =
                "2 configuration errors:\n" +
                '  - vpcId: got "vpc-nope"; expected a VPC ID such as "vpc-0123456789abcdef0"\n' +
                "  - tags.team: got 7; expected a string of at most 256 letters, digits, spaces and _.:/=+-@";
            expect(await failure(plain)).to.equal(expected);
            expect(await failure(later)).to.equal(expected);
        });
    });

    describe("an Output where a value names a resource is refused before anything is registered", () => {
        const cases: [string, (args: Record<string, any>) => void, string][] = [
            [
                "a secondary VPC CIDR",
                a => {
                    delete a.vpcCidr;
                    a.vpcCidrs = ["10.0.0.0/16", pulumi.output("100.64.0.0/16")];
                },
                "vpcCidrs[1]: got an Output; expected a plain value, not an Output: a secondary CIDR names its egress rules (<name>-out-<ports>-<cidr>); only the primary (the first) may be an Output",
            ],
            [
                "a certificate after the first",
                a => {
                    a.loadBalancer.certificateArns.push(pulumi.output("arn:aws:acm:eu-west-1:111111111111:certificate/2"));
                },
                "loadBalancer.certificateArns[1]: got an Output; expected a plain value, not an Output: a certificate after the first names its listener certificate resource; only the first (the listener's default) may be an Output",
            ],
            [
                "an internal ALB's default ingress CIDRs",
                a => {
                    a.vpcCidr = pulumi.output("10.0.0.0/16");
                    a.loadBalancer.internal = true;
                },
                "loadBalancer.ingressCidrs: got nothing; required when the load balancer is internal and the VPC's primary CIDR is an Output: the ingress rules are named by their CIDRs",
            ],
            [
                "a cluster's account",
                a => {
                    a.clusters.blue.accountId = pulumi.output("222222222222");
                },
                "clusters.blue.accountId: got an Output; expected a plain value, known when the program runs (not an Output): it is checked before any resource is registered",
            ],
        ];
        for (const [what, set, message] of cases) {
            it(what, async () => {
                const args = exampleNetworkArgs();
                set(args);
                const { error: caught, run: r } = await runRefused(() => new SharedAlb("edge", args as any));
                expect(caught.message).to.equal(message);
                expect(r.resources).to.deep.equal([]);
            });
        }
    });
});

describe("SharedAlb and the controller's refusal of instance targets across accounts", () => {
    it("refuses a cross-account cluster's instance targets before anything is registered; a same-account cluster keeps them", async () => {
        const args = exampleNetworkArgs();
        args.services.web.targetType = "instance";
        args.clusters.green.serviceOverrides = { api: { targetType: "instance" } };
        args.clusters.blue.serviceOverrides = { api: { targetType: "instance" } };
        const { error: caught, run: r } = await runRefused(() => new SharedAlb("edge", args as any));
        const why =
            "cluster blue is in account 222222222222, not the ALB's 111111111111: its TargetGroupBindings assume the registrar role (iamRoleArnToAssume), " +
            'and the AWS Load Balancer Controller\'s webhook rejects "instance" targets with an assumed role; expected "ip" for cluster blue: ';
        expect(caught.message).to.equal(
            [
                "2 configuration errors:",
                `  - services.web.targetType: got "instance"; ${why}set clusters.blue.serviceOverrides.web.targetType: ip for this cluster, or targetType: ip here for every cluster`,
                `  - clusters.blue.serviceOverrides.api.targetType: got "instance"; ${why}set it to ip`,
            ].join("\n"),
        );
        expect(r.resources).to.deep.equal([]);
        args.clusters.blue.serviceOverrides = { web: { targetType: "ip" } };
        const accepted = await run(() => ({ outputs: new SharedAlb("edge", args as any).outputs }));
        const types = accepted.outputs.outputs.clusters;
        expect([
            types.blue.targetGroups.web.targetType,
            types.blue.targetGroups.api.targetType,
            types.green.targetGroups.web.targetType,
            types.green.targetGroups.api.targetType,
        ]).to.deep.equal(["ip", "ip", "instance", "instance"]);
    });
});

describe("SharedAlb's region and partition", () => {
    /** The example fleet with its subnets shared, a certificate in `region`, and no region of its own. */
    function regionless(region: string, partition: string): Record<string, any> {
        const args = exampleNetworkArgs();
        delete args.region;
        args.loadBalancer.certificateArns = [
            `arn:${partition}:acm:${region}:111111111111:certificate/5f1c2d3e-0a1b-4c5d-8e9f-0123456789ab`,
        ];
        args.vpcSharing = { subnetIds: ["subnet-0a1b2c3d4e5f61001"] };
        return args;
    }

    function withProvider(args: Record<string, any>, region: string | undefined): Promise<Run> {
        return run(() => {
            const provider = new aws.Provider("regional", region === undefined ? {} : { region });
            const alb = new SharedAlb("edge", args as any, { providers: [provider] });
            return {
                outputs: alb.outputs,
                targetGroupArns: alb.targetGroupArns,
                registrarRoleArns: alb.registrarRoleArns,
                resourceShareArn: alb.resourceShareArn,
            };
        });
    }

    it("builds its ARNs in the region of an explicit AWS provider, not the stack's", async () => {
        const r = await withProvider(regionless("us-west-2", "aws"), "us-west-2");
        const o = r.outputs.outputs;
        expect(o.region).to.equal("us-west-2");
        expect(r.get("aws:ram/resourceAssociation:ResourceAssociation", "edge-share-subnet-0a1b2c3d4e5f61001").inputs.resourceArn).to.equal(
            "arn:aws:ec2:us-west-2:111111111111:subnet/subnet-0a1b2c3d4e5f61001",
        );
        expect(o.clusters.blue.targetGroups.web.arn).to.match(
            /^arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup\/blue-web-17b62d5a\/[0-9a-f]{16}$/,
        );
        expect(o.loadBalancer.arn).to.match(/^arn:aws:elasticloadbalancing:us-west-2:/);
        expect(o.vpcSharing.resourceShareArn).to.match(/^arn:aws:ram:us-west-2:111111111111:resource-share\//);
        expect(r.outputs.resourceShareArn).to.equal(o.vpcSharing.resourceShareArn);
        const regional = arnsIn(r.resources).filter(a => a.split(":")[3] !== "");
        expect(regional.length).to.be.above(10);
        expect(regional.filter(a => a.split(":")[3] !== "us-west-2")).to.deep.equal([]);
    });

    it("takes an explicit region over its provider's", async () => {
        const args = regionless("us-west-2", "aws");
        args.region = "us-west-2";
        const r = await withProvider(args, "eu-central-1");
        expect(r.outputs.outputs.region).to.equal("us-west-2");
        expect(r.get("aws:ram/resourceAssociation:ResourceAssociation", "edge-share-subnet-0a1b2c3d4e5f61001").inputs.resourceArn).to.equal(
            "arn:aws:ec2:us-west-2:111111111111:subnet/subnet-0a1b2c3d4e5f61001",
        );
    });

    for (const [region, partition] of [
        ["cn-north-1", "aws-cn"],
        ["us-gov-west-1", "aws-us-gov"],
    ] as const) {
        it(`builds every ARN in ${partition} for a provider in ${region}: trust, policies, shares and outputs`, async () => {
            const r = await withProvider(regionless(region, partition), region);
            const arns = arnsIn(r.resources);
            expect(arns.length).to.be.above(10);
            expect(arns.filter(a => !a.startsWith(`arn:${partition}:`))).to.deep.equal([]);
            const trust = JSON.parse(secretValue(r.get("aws:iam/role:Role", "edge-registrar-blue").inputs.assumeRolePolicy));
            expect(trust.Statement[0].Principal).to.deep.equal({ AWS: `arn:${partition}:iam::222222222222:root` });
            expect(trust.Statement[0].Condition.StringEquals["aws:PrincipalArn"]).to.equal(
                `arn:${partition}:iam::222222222222:role/shared-alb-lbc-blue`,
            );
            const policy = JSON.parse(r.get("aws:iam/rolePolicy:RolePolicy", "edge-registrar-blue").inputs.policy as string);
            expect(
                policy.Statement[0].Resource.every((a: string) => a.startsWith(`arn:${partition}:elasticloadbalancing:${region}:`)),
            ).to.equal(true);
            const o = r.outputs.outputs;
            expect(o.region).to.equal(region);
            expect(o.clusters.blue.controllerRoleArn).to.equal(`arn:${partition}:iam::222222222222:role/shared-alb-lbc-blue`);
            expect(o.clusters.green.controllerRoleArn).to.equal(`arn:${partition}:iam::111111111111:role/shared-alb-lbc-green`);
            expect(o.clusters.blue.registrarRoleArn).to.equal(`arn:${partition}:iam::111111111111:role/shop-edge-registrar-blue`);
            expect(r.outputs.registrarRoleArns).to.deep.equal({ blue: `arn:${partition}:iam::111111111111:role/shop-edge-registrar-blue` });
            expect(JSON.stringify([o, r.outputs.targetGroupArns])).to.not.match(/arn:aws:/);
        });
    }

    it("takes the partition from an explicit region alone", async () => {
        const args = regionless("us-gov-west-1", "aws-us-gov");
        args.region = "us-gov-west-1";
        const r = await run(() => ({ outputs: new SharedAlb("edge", args as any).outputs }));
        expect(r.outputs.outputs.clusters.blue.controllerRoleArn).to.equal("arn:aws-us-gov:iam::222222222222:role/shared-alb-lbc-blue");
        expect(r.get("aws:ram/resourceAssociation:ResourceAssociation", "edge-share-subnet-0a1b2c3d4e5f61001").inputs.resourceArn).to.equal(
            "arn:aws-us-gov:ec2:us-gov-west-1:111111111111:subnet/subnet-0a1b2c3d4e5f61001",
        );
    });

    const Missing =
        'region: got nothing; expected an AWS region such as "eu-west-1"; give region, or the component an AWS provider with a region (the network stack reads it from its aws:region config)';

    it("refuses to build without a region or a provider, before anything is registered", async () => {
        const { error: caught, run: r } = await runRefused(() => new SharedAlb("edge", regionless("eu-west-1", "aws") as any));
        expect(caught.message).to.equal(Missing);
        expect(r.resources).to.deep.equal([]);
    });

    it("finds the provider given as the provider option too", async () => {
        const r = await run(() => {
            const provider = new aws.Provider("regional", { region: "cn-northwest-1" });
            return { outputs: new SharedAlb("edge", regionless("cn-northwest-1", "aws-cn") as any, { provider }).outputs };
        });
        expect(r.outputs.outputs.region).to.equal("cn-northwest-1");
        expect(r.outputs.outputs.clusters.blue.registrarRoleArn).to.equal("arn:aws-cn:iam::111111111111:role/shop-edge-registrar-blue");
    });
    it("asks a provider known only by reference (as in a component served to another language) for its region", async () => {
        const r = await run(async () => {
            // The provider, created before, as the engine hands it to a construct call: `<urn>::<id>`.
            const gov = new aws.Provider("gov", { region: "us-gov-east-1" });
            const ref = await new Promise<string>(resolve => pulumi.all([gov.urn, gov.id]).apply(([urn, id]) => resolve(`${urn}::${id}`)));
            const reference = new pulumi.DependencyProviderResource(ref);
            return {
                outputs: new SharedAlb("edge", regionless("us-gov-east-1", "aws-us-gov") as any, { providers: { aws: reference } }).outputs,
            };
        });
        expect(r.outputs.outputs.region).to.equal("us-gov-east-1");
        expect(r.outputs.outputs.clusters.blue.controllerRoleArn).to.equal("arn:aws-us-gov:iam::222222222222:role/shared-alb-lbc-blue");
        expect(r.get("aws:ram/resourceAssociation:ResourceAssociation", "edge-share-subnet-0a1b2c3d4e5f61001").inputs.resourceArn).to.equal(
            "arn:aws-us-gov:ec2:us-gov-east-1:111111111111:subnet/subnet-0a1b2c3d4e5f61001",
        );
    });
});

describe("SharedAlb's output maps", () => {
    let r: Run;
    before(async () => {
        r = await run(() => {
            const alb = new SharedAlb("edge", exampleNetworkArgs() as any);
            return {
                loadBalancerArn: alb.loadBalancerArn,
                dnsName: alb.dnsName,
                zoneId: alb.zoneId,
                securityGroupId: alb.securityGroupId,
                listenerArns: alb.listenerArns,
                targetGroupArns: alb.targetGroupArns,
                targetGroupNames: alb.targetGroupNames,
                ruleArns: alb.ruleArns,
                registrarRoleArns: alb.registrarRoleArns,
                outputs: alb.outputs,
                noResourceShare: alb.resourceShareArn.apply(x => x === undefined),
            };
        });
    });

    const arn = (type: string, name: string) => r.get(type, name).outputs.arn as string;

    it("target group ARNs and names by cluster, then service", () => {
        const tg = (cluster: string, service: string) => arn("aws:lb/targetGroup:TargetGroup", `edge-tg-${cluster}-${service}`);
        expect(r.outputs.targetGroupArns).to.deep.equal({
            blue: { api: tg("blue", "api"), web: tg("blue", "web") },
            green: { api: tg("green", "api"), web: tg("green", "web") },
        });
        expect(tg("blue", "web")).to.match(
            /^arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup\/blue-web-17b62d5a\/[0-9a-f]{16}$/,
        );
        expect(r.outputs.targetGroupNames).to.deep.equal({
            blue: { api: "blue-api-be0a9408", web: "blue-web-17b62d5a" },
            green: { api: "green-api-649cdb2a", web: "green-web-1a30dff7" },
        });
    });

    it("the ALB, its listeners, rules by service, registrar roles by cross-account cluster, and no resource share", () => {
        const lb = r.get("aws:lb/loadBalancer:LoadBalancer", "edge-alb").outputs;
        expect([r.outputs.loadBalancerArn, r.outputs.dnsName, r.outputs.zoneId]).to.deep.equal([lb.arn, lb.dnsName, "Z32O12XQLNTSW2"]);
        expect(r.outputs.securityGroupId).to.equal(
            r.get("aws:ec2/securityGroup:SecurityGroup", "edge-sg").outputs.id ?? r.outputs.outputs.securityGroupId,
        );
        expect(r.outputs.securityGroupId).to.match(/^sg-[0-9a-f]{17}$/);
        expect(r.outputs.listenerArns).to.deep.equal({
            http: arn("aws:lb/listener:Listener", "edge-http"),
            https: arn("aws:lb/listener:Listener", "edge-https"),
        });
        expect(r.outputs.ruleArns).to.deep.equal({
            web: arn("aws:lb/listenerRule:ListenerRule", "edge-rule-web"),
            api: arn("aws:lb/listenerRule:ListenerRule", "edge-rule-api"),
        });
        expect(r.outputs.registrarRoleArns).to.deep.equal({ blue: "arn:aws:iam::111111111111:role/shop-edge-registrar-blue" });
        expect(r.outputs.noResourceShare).to.equal(true);
        expect(r.outputs.outputs.loadBalancer.listenerArns).to.deep.equal(r.outputs.listenerArns);
    });
});

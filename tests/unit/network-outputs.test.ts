import { expect } from "chai";
import { validateNetworkOutputs } from "../../cli/network-outputs";
import { exampleNetworkOutputs } from "../component/cluster-attachment-fixtures";

type Outputs = Record<string, any>;

/** The messages of the example outputs after `mutate`. */
function messagesOf(mutate: (o: Outputs) => void): string[] {
    const outputs: Outputs = exampleNetworkOutputs();
    mutate(outputs);
    return validateNetworkOutputs(outputs).map(e => e.message);
}

/** The example outputs with every ARN in `partition`. */
function inPartition(partition: string): unknown {
    return JSON.parse(JSON.stringify(exampleNetworkOutputs()).replace(/arn:aws:/g, `arn:${partition}:`));
}

describe("validateNetworkOutputs", () => {
    it("accepts the example outputs, in any partition", () => {
        expect(validateNetworkOutputs(exampleNetworkOutputs())).to.deep.equal([]);
        expect(validateNetworkOutputs(inPartition("aws-cn"))).to.deep.equal([]);
        expect(validateNetworkOutputs(inPartition("aws-us-gov"))).to.deep.equal([]);
    });

    it("accepts an external ID hidden as [secret] (the doctor warns about it)", () => {
        expect(
            messagesOf(o => {
                o.clusters.blue.externalId = "[secret]";
            }),
        ).to.deep.equal([]);
    });

    it("accepts preview outputs with and without the restrictions of this version", () => {
        expect(
            messagesOf(o => {
                o.preview = { header: "x-shared-alb-cluster", defaultActionRuleArns: {} };
            }),
        ).to.deep.equal([]);
        expect(
            messagesOf(o => {
                o.preview = {
                    header: "x-shared-alb-cluster",
                    defaultActionRuleArns: {},
                    sourceCidrs: ["203.0.113.0/24"],
                    tokenRequired: true,
                };
            }),
        ).to.deep.equal([]);
    });

    const table: [string, (o: Outputs) => void, string[]][] = [
        [
            "an empty ARN",
            o => {
                o.clusters.blue.controllerRoleArn = "";
            },
            ['clusters.blue.controllerRoleArn: got ""; expected a non-empty string'],
        ],
        [
            "a user ARN as controller role",
            o => {
                o.clusters.blue.controllerRoleArn = "arn:aws:iam::222222222222:user/lbc";
            },
            [
                'clusters.blue.controllerRoleArn: got "arn:aws:iam::222222222222:user/lbc"; expected an IAM role ARN such as "arn:aws:iam::222222222222:role/shared-alb-lbc-blue"',
            ],
        ],
        [
            "a cross-account cluster without registrar role",
            o => {
                delete o.clusters.blue.registrarRoleArn;
            },
            ["clusters.blue.registrarRoleArn: got nothing; expected a non-empty string"],
        ],
        [
            "a target group ARN of a load balancer",
            o => {
                o.clusters.green.targetGroups.web.arn = o.loadBalancer.arn;
            },
            [
                `clusters.green.targetGroups.web.arn: got ${JSON.stringify(exampleNetworkOutputs().loadBalancer.arn)}; expected a target group ARN`,
            ],
        ],
        [
            "no listener",
            o => {
                o.loadBalancer.listenerArns = {};
            },
            ["loadBalancer.listenerArns: got {}; expected at least one of http, https, existing"],
        ],
        [
            "preview sources that are not a list, and a token flag that is not a boolean",
            o => {
                o.preview = {
                    header: "x-shared-alb-cluster",
                    defaultActionRuleArns: {},
                    sourceCidrs: "203.0.113.0/24",
                    tokenRequired: "yes",
                };
            },
            [
                'preview.sourceCidrs: got "203.0.113.0/24"; expected a list of strings',
                'preview.tokenRequired: got "yes"; expected true or false',
            ],
        ],
        [
            "an external ID with a space",
            o => {
                o.clusters.blue.externalId = "not allowed";
            },
            ['clusters.blue.externalId: got "not allowed"; expected 2 to 1224 characters of letters, digits and +=,.@:/_-'],
        ],
        [
            "vpcSharing principals that are not a list (a cluster stack failed on it with a TypeError)",
            o => {
                o.vpcSharing = {
                    resourceShareArn: "arn:aws:ram:eu-west-1:111111111111:resource-share/x",
                    subnetIds: [],
                    principals: 1e308,
                };
            },
            ["vpcSharing.principals: got 1e+308; expected a list of strings"],
        ],
        [
            "vpcSharing that is not an object",
            o => {
                o.vpcSharing = "shared";
            },
            ['vpcSharing: got "shared"; expected an object with resourceShareArn, subnetIds and principals'],
        ],
    ];
    for (const [what, mutate, want] of table) {
        it(`refuses ${what}`, () => expect(messagesOf(mutate)).to.deep.equal(want));
    }
});

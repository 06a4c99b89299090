import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAttachment, ClusterAttachmentArgs } from "../../components";
import { planAttachment } from "../../components/cluster-attachment/cluster-attachment";
import * as clusterInputs from "../../components/cluster-attachment/cluster-inputs";
import * as validate from "../../components/cluster-attachment/validate";
import { clusterProgram } from "../../stacks/cluster";
import { exampleStackConfig } from "../fixtures/stack-config";
import { run, runError, runRefused } from "../harness";
import { BlueAccount, BlueIssuer, attachmentArgs, exampleNetworkOutputs, NetworkAccount } from "./cluster-attachment-fixtures";

/**
 * The plan (what decides which resources exist) and the cluster's inputs
 * (what may be an Output) are read once each: a plain value before anything
 * is registered, an Output once it resolves, on the component.
 */

const Attachment = "shared-alb:index:ClusterAttachment";

function program(args: ClusterAttachmentArgs) {
    return () => {
        const kubernetes = new k8s.Provider("k8s", { kubeconfig: "{}" });
        new ClusterAttachment("c", args, { providers: { kubernetes } });
    };
}

/** The blue fixture's arguments with one cluster input replaced by `value` (a plain value or an Output). */
type Edit = (a: ClusterAttachmentArgs, wrap: (v: string) => pulumi.Input<string>) => void;

const badInputs: [string, Edit, string][] = [
    [
        "clusterName",
        (a, w) => {
            a.clusterName = w("b".repeat(57));
        },
        `clusterName: got "${"b".repeat(57)}"; a cross-account cluster's name must be at most 56 characters (STS session name "AWS-LBC-<clusterName>" is limited to 64)`,
    ],
    [
        "oidcIssuer",
        (a, w) => {
            a.oidcIssuer = w("http://oidc.example.com");
        },
        'oidcIssuer: got "http://oidc.example.com"; expected the OIDC issuer URL, with or without https://, ' +
            'e.g. "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"',
    ],
    [
        "oidcProviderArn",
        (a, w) => {
            a.oidcProviderArn = w(`arn:aws:iam::${NetworkAccount}:oidc-provider/${BlueIssuer}`);
        },
        `oidcProviderArn: got "arn:aws:iam::${NetworkAccount}:oidc-provider/${BlueIssuer}"; expected the OIDC provider of the cluster's account ${BlueAccount}`,
    ],
    [
        "vpcId",
        (a, w) => {
            a.vpcId = w("vpc-1");
        },
        'vpcId: got "vpc-1"; expected a VPC ID such as "vpc-0123456789abcdef0"',
    ],
    [
        "region",
        (a, w) => {
            a.region = w("cn-north-1");
        },
        'region: got "cn-north-1"; expected a region of the aws partition, the partition of cluster.controllerRoleArn',
    ],
    [
        "albSecurityGroupId",
        (a, w) => {
            a.albSecurityGroupId = w("sg-");
        },
        'albSecurityGroupId: got "sg-"; expected a security group ID such as "sg-0123456789abcdef0"',
    ],
    [
        "nodeSecurityGroupIds.nodes",
        (a, w) => {
            a.nodeSecurityGroupIds = { nodes: w("group-1") };
        },
        'nodeSecurityGroupIds.nodes: got "group-1"; expected a security group ID such as "sg-0123456789abcdef0"',
    ],
];

function edited(edit: Edit, wrap: (v: string) => pulumi.Input<string>): ClusterAttachmentArgs {
    const args = attachmentArgs("blue");
    edit(args, wrap);
    return args;
}

describe("ClusterAttachment: a bad cluster input given as an Output fails on the component with its path-named message", () => {
    for (const [what, edit, message] of badInputs) {
        it(what, async () => {
            const error = await runError(program(edited(edit, v => pulumi.output(v))));
            expect(error).to.be.instanceOf(pulumi.ResourceError);
            expect(error.message).to.equal(message);
            const on = (error as pulumi.ResourceError).resource;
            expect(on).to.be.instanceOf(ClusterAttachment);
            expect(await new Promise<string>(resolve => on!.urn.apply(resolve))).to.match(new RegExp(`[:$]${Attachment}::c$`));
        });
    }

    it("two bad Outputs: both, in one message, in the order a plain value lists them", async () => {
        const args = attachmentArgs("blue", { vpcId: pulumi.output("vpc-1"), clusterName: pulumi.output("-x") });
        const error = await runError(program(args));
        expect(error.message).to.equal(
            "2 configuration errors:\n" +
                "  - clusterName: got \"-x\"; expected an EKS cluster name: 1 to 100 letters, digits, '-' and '_', starting alphanumeric\n" +
                '  - vpcId: got "vpc-1"; expected a VPC ID such as "vpc-0123456789abcdef0"',
        );
    });
});

describe("ClusterAttachment: a bad plain cluster input fails before any resource is registered", () => {
    for (const [what, edit, message] of badInputs) {
        it(what, async () => {
            const { error, run: r } = await runRefused(program(edited(edit, v => v)));
            expect(error.message).to.equal(message);
            // The Kubernetes provider is the program's own, registered before the component.
            expect(r.inventory()).to.deep.equal(["pulumi:providers:kubernetes::k8s"]);
        });
    }

    it("with the plan's problems, all in one message", async () => {
        const args = attachmentArgs("blue", { vpcId: "vpc-1", bindings: { web: { namespace: "Shop", service: "web", port: 80 } } });
        const { error, run: r } = await runRefused(program(args));
        expect(error.message).to.equal(
            "2 configuration errors:\n" +
                '  - bindings.web.namespace: got "Shop"; expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens\n' +
                '  - vpcId: got "vpc-1"; expected a VPC ID such as "vpc-0123456789abcdef0"',
        );
        expect(r.inventory()).to.deep.equal(["pulumi:providers:kubernetes::k8s"]);
    });
});

describe("planAttachment: the plan without the cluster's inputs", () => {
    const { clusterName, oidcProviderArn, oidcIssuer, vpcId, region, albSecurityGroupId, nodeSecurityGroupIds, ...planArgs } =
        attachmentArgs("blue");
    const inputs = { clusterName, oidcProviderArn, oidcIssuer, vpcId, region, albSecurityGroupId, nodeSecurityGroupIds };

    it("plans what the whole arguments plan, and the component builds the same from it", async () => {
        const planned = planAttachment(planArgs, Object.keys(nodeSecurityGroupIds ?? {}));
        expect(planned.plan).to.deep.equal(validate.readAttachmentArgs(attachmentArgs("blue")).plan);
        // Frozen, so the plan read stays the plan of the arguments.
        expect(Object.isFrozen(planned.withInputs(inputs))).to.equal(true);
        const fromPlan = await run(program(planned.withInputs(inputs)));
        const fromArgs = await run(program(attachmentArgs("blue")));
        expect(fromPlan.resources.map(r => [r.type, r.name, r.inputs])).to.deep.equal(
            fromArgs.resources.map(r => [r.type, r.name, r.inputs]),
        );
    });

    it("has none of the cluster's inputs: reading one from the plan, or planning with one, does not compile", () => {
        const { plan } = planAttachment(planArgs, ["nodes"]);
        // @ts-expect-error the cluster's name is a cluster input, known later
        expect(plan.clusterName).to.equal(undefined);
        // @ts-expect-error the VPC is a cluster input, known later
        expect(plan.vpcId).to.equal(undefined);
        // @ts-expect-error the plan's arguments have no cluster input (and the plan ignores one given anyway)
        expect(planAttachment({ ...planArgs, region: "eu-west-1" }, ["nodes"]).plan).to.deep.equal(plan);
    });

    it("refuses node security groups other than those it planned the keys of", () => {
        const planned = planAttachment(planArgs, ["nodes"]);
        expect(() => planned.withInputs({ ...inputs, nodeSecurityGroupIds: { cluster: "sg-0b0b0b0b0b0b0b0b0" } })).to.throw(
            "planAttachment: node security groups cluster given, planned nodes",
        );
    });

    it("names the plan's paths under the root it is given, and reads no cluster input", () => {
        expect(() => planAttachment({ ...planArgs, securityGroupMode: "rules" }, [], "alb-fleet:cluster")).to.throw(
            'alb-fleet:cluster.nodeSecurityGroupIds: got {}; securityGroupMode "rules" needs the nodes\' security groups; ' +
                'give at least one, or set securityGroupMode "none"',
        );
    });
});

/** Counts the calls of some functions of a module, replacing its exports while `body` runs. */
async function counting<M extends object>(
    module: M,
    names: (keyof M & string)[],
    body: () => Promise<void>,
): Promise<Record<string, number>> {
    const counts: Record<string, number> = Object.fromEntries(names.map(n => [n, 0]));
    const saved = names.map(n => [n, module[n]] as const);
    for (const [n, original] of saved) {
        Object.assign(module, {
            [n]: (...a: unknown[]) => {
                counts[n] += 1;
                return (original as (...x: unknown[]) => unknown)(...a);
            },
        });
    }
    try {
        await body();
    } finally {
        for (const [n, original] of saved) {
            Object.assign(module, { [n]: original });
        }
    }
    return counts;
}

describe("cluster stack: the attachment's plan and its cluster inputs are read once per deploy", () => {
    for (const [stack, account] of [
        ["cluster-blue", BlueAccount],
        ["cluster-green", NetworkAccount],
    ] as const) {
        it(`${stack}: one plan read (the stack's), one read of the plain cluster inputs and one of those known later (the component's)`, async () => {
            let inputReads: Record<string, number> = {};
            const planReads = await counting(validate, ["readAttachmentPlan", "readAttachmentArgs"], async () => {
                inputReads = await counting(clusterInputs, ["collectKnownClusterInputs", "completeClusterInputs"], async () => {
                    const r = await run(clusterProgram, {
                        accountId: account,
                        stack,
                        config: exampleStackConfig(stack),
                        stackOutputs: { network: exampleNetworkOutputs() as unknown as Record<string, unknown> },
                    });
                    expect(r.ofType(Attachment)).to.have.length(1);
                });
            });
            expect(planReads).to.deep.equal({ readAttachmentPlan: 1, readAttachmentArgs: 0 });
            expect(inputReads).to.deep.equal({ collectKnownClusterInputs: 1, completeClusterInputs: 1 });
        });
    }
});

describe("no placeholder values", () => {
    it("no stand-in cluster value (PLANNED issuer, sg-00000000) in the package's or the stacks' code", () => {
        const root = path.join(__dirname, "..", "..");
        const placeholders = [["PLAN", "NED"].join(""), ["sg-", "00000000"].join("")];
        const files = ["components", "stacks", "cli"].flatMap(dir =>
            fs
                .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
                .filter(f => f.endsWith(".ts"))
                .map(f => path.join(dir, f)),
        );
        expect(files.length).to.be.greaterThan(50);
        const found = files.flatMap(f =>
            placeholders.filter(p => fs.readFileSync(path.join(root, f), "utf8").includes(p)).map(p => `${f}: ${p}`),
        );
        expect(found).to.deep.equal([]);
    });
});

import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAttachment, ClusterAttachmentArgs } from "../../components";
import { RegionMissing } from "../../components/cluster-attachment/cluster-inputs";
import { RecordedResource } from "../../cli/plan/mock-runtime";
import { run, runError } from "../harness";
import { GreenNodesSg, NetworkAccount, attachmentArgs } from "./cluster-attachment-fixtures";

/**
 * The cluster facts are `Input`s: given as outputs of other resources they
 * plan the same and are refused with the same path-named messages; the
 * region, when not given, is the AWS provider's of the options.
 */

const T = { role: "aws:iam/role:Role", rolePolicy: "aws:iam/rolePolicy:RolePolicy", release: "kubernetes:helm.sh/v3:Release" } as const;

/** Every registration's type, name and inputs, in order of type and name. */
function planned(resources: RecordedResource[]): object[] {
    return resources
        .map(r => ({ type: r.type, name: r.name, parent: r.parent, inputs: r.inputs }))
        .sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
}

/** The args with every cluster fact (and every value that may come from another resource) as an Output. */
function asOutputs(args: ClusterAttachmentArgs): ClusterAttachmentArgs {
    const o = (v: pulumi.Input<string>): pulumi.Output<string> => pulumi.output(v);
    const targetGroups = Object.fromEntries(Object.entries(args.cluster.targetGroups).map(([k, tg]) => [k, { ...tg, arn: o(tg.arn) }]));
    return {
        ...args,
        clusterName: o(args.clusterName),
        oidcProviderArn: o(args.oidcProviderArn),
        oidcIssuer: o(args.oidcIssuer),
        vpcId: o(args.vpcId),
        region: args.region === undefined ? undefined : o(args.region),
        albSecurityGroupId: o(args.albSecurityGroupId),
        nodeSecurityGroupIds: Object.fromEntries(Object.entries(args.nodeSecurityGroupIds ?? {}).map(([k, v]) => [k, o(v)])),
        cluster: {
            ...args.cluster,
            targetGroups,
            ...(args.cluster.externalId !== undefined ? { externalId: o(args.cluster.externalId) } : {}),
        },
        controller:
            args.controller === undefined
                ? undefined
                : {
                      ...args.controller,
                      ...(args.controller.roleArn !== undefined ? { roleArn: o(args.controller.roleArn) } : {}),
                      ...(args.controller.additionalPolicyJson !== undefined
                          ? { additionalPolicyJson: o(args.controller.additionalPolicyJson) }
                          : {}),
                  },
    };
}

function program(args: ClusterAttachmentArgs, opts: pulumi.ComponentResourceOptions = {}) {
    return () => {
        const kubernetes = new k8s.Provider("k8s", { kubeconfig: "{}" });
        new ClusterAttachment("c", args, {
            ...opts,
            providers: { kubernetes, ...(opts.providers as Record<string, pulumi.ProviderResource> | undefined) },
        });
    };
}

/** The fixture's args moved to another region and its partition: every ARN, and no `region` (the provider gives it). */
function inRegion(
    key: "blue" | "green",
    region: string,
    partition: string,
    overrides: Partial<ClusterAttachmentArgs> = {},
): ClusterAttachmentArgs {
    const moved = JSON.parse(
        JSON.stringify(attachmentArgs(key, overrides)).replaceAll("arn:aws:", `arn:${partition}:`).replaceAll("eu-west-1", region),
    ) as ClusterAttachmentArgs;
    delete moved.region;
    return moved;
}

describe("ClusterAttachment: cluster facts as Outputs", () => {
    const additionalPolicyJson = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "ec2:DescribeTags", Resource: "*" }],
    });
    const cases: [string, "blue" | "green", Partial<ClusterAttachmentArgs>, number][] = [
        ["blue", "blue", {}, 1],
        ["green", "green", {}, 1],
        [
            "green with a role you bring",
            "green",
            { controller: { createRole: false, roleArn: `arn:aws:iam::${NetworkAccount}:role/my-lbc` } },
            0,
        ],
        ["green with an additional policy", "green", { controller: { additionalPolicyJson } }, 1],
    ];
    for (const [what, key, overrides, roles] of cases) {
        it(`${what}: plans the same resources with every fact an Output`, async () => {
            const plain = await run(program(attachmentArgs(key, overrides)));
            const outputs = await run(program(asOutputs(attachmentArgs(key, overrides))));
            expect(planned(outputs.resources)).to.deep.equal(planned(plain.resources));
            expect(plain.ofType(T.role)).to.have.length(roles);
        });
    }

    it("annotates the service account with a role you bring given as an Output", async () => {
        const roleArn = `arn:aws:iam::${NetworkAccount}:role/my-lbc`;
        const r = await run(program(asOutputs(attachmentArgs("green", { controller: { createRole: false, roleArn } }))));
        const values = r.get(T.release, "c-controller").inputs.values as { serviceAccount: { annotations: Record<string, string> } };
        expect(values.serviceAccount.annotations).to.deep.equal({ "eks.amazonaws.com/role-arn": roleArn });
        expect(r.ofType(T.rolePolicy)).to.deep.equal([]);
    });

    const bad: [string, Partial<ClusterAttachmentArgs>][] = [
        [
            "oidcProviderArn (another account)",
            { oidcProviderArn: "arn:aws:iam::999999999999:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X" },
        ],
        ["oidcIssuer", { oidcIssuer: "not a url" }],
        ["region", { region: "Europe" }],
        ["vpcId", { vpcId: "vpc-1" }],
        ["albSecurityGroupId", { albSecurityGroupId: "sg-" }],
        ["clusterName (cross-account, over 56 characters)", { clusterName: "b".repeat(57) }],
        ["nodeSecurityGroupIds.nodes", { nodeSecurityGroupIds: { nodes: "group-1" } }],
        [
            "cluster.targetGroups.web.arn",
            {
                cluster: {
                    ...attachmentArgs("blue").cluster,
                    targetGroups: {
                        ...attachmentArgs("blue").cluster.targetGroups,
                        web: { ...attachmentArgs("blue").cluster.targetGroups.web, arn: "arn:aws:elasticloadbalancing:x" },
                    },
                },
            },
        ],
        ["cluster.externalId", { cluster: { ...attachmentArgs("blue").cluster, externalId: "x" } }],
        ["controller.roleArn", { controller: { createRole: false, roleArn: "my-role" } }],
        [
            "controller.additionalPolicyJson.Statement[0] (granting IAM)",
            {
                controller: {
                    additionalPolicyJson: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }],
                    }),
                },
            },
        ],
    ];
    for (const [what, override] of bad) {
        it(`refuses a bad ${what} given as an Output with the message it gives a plain value`, async () => {
            const args = attachmentArgs("blue", override);
            const plainError = await runError(program(args));
            const outputError = await runError(program(asOutputs(args)));
            // The SDK prefixes a failed Output with the properties it was serializing.
            const firstLine = (e: Error) =>
                (e.message.split("\n").find(l => / got /.test(l)) ?? e.message).replace(/^(error serializing property "[^"]*": )+/, "");
            expect(firstLine(outputError)).to.equal(firstLine(plainError));
            expect(firstLine(plainError).startsWith(`${what.split(" ")[0]}: got `), firstLine(plainError)).to.equal(true);
        });
    }
});

describe("ClusterAttachment: the region from the AWS provider", () => {
    const cases = [
        { region: "cn-north-1", partition: "aws-cn" },
        { region: "us-gov-west-1", partition: "aws-us-gov" },
    ];
    for (const { region, partition } of cases) {
        it(`${region}: an explicit AWS provider gives the region, and every ARN is in ${partition}`, async () => {
            const args = inRegion("green", region, partition, { securityGroupMode: "controller" });
            const r = await run(() => {
                const provider = new aws.Provider("regional", { region: region as aws.Region });
                program(args, { providers: { aws: provider } })();
            });
            const values = r.get(T.release, "c-controller").inputs.values as Record<string, unknown>;
            expect(values.region).to.equal(region);
            const policy = JSON.parse(r.get(T.rolePolicy, "c-controller").inputs.policy as string) as {
                Statement: { Resource?: string | string[] }[];
            };
            const arns = policy.Statement.flatMap(s => (s.Resource === undefined ? [] : [s.Resource].flat())).filter(a =>
                a.startsWith("arn:"),
            );
            expect(arns).to.include(`arn:${partition}:ec2:${region}:${NetworkAccount}:security-group/${GreenNodesSg}`);
            expect(arns.filter(a => !a.startsWith(`arn:${partition}:`))).to.deep.equal([]);
            const trust = r.get(T.role, "c-controller").inputs.assumeRolePolicy as string;
            expect(trust).to.include(`arn:${partition}:iam::${NetworkAccount}:oidc-provider/`);
        });
    }

    it("takes the provider given as `provider` too, and the parent's", async () => {
        const args = inRegion("green", "cn-north-1", "aws-cn");
        const direct = await run(() => {
            program(args, { provider: new aws.Provider("regional", { region: "cn-north-1" }) })();
        });
        expect((direct.get(T.release, "c-controller").inputs.values as Record<string, unknown>).region).to.equal("cn-north-1");
        const r = await run(() => {
            const provider = new aws.Provider("regional", { region: "cn-north-1" });
            const parent = new pulumi.ComponentResource("test:index:Parent", "parent", {}, { providers: [provider] });
            program(args, { parent })();
        });
        expect((r.get(T.release, "c-controller").inputs.values as Record<string, unknown>).region).to.equal("cn-north-1");
    });

    it("refuses no region and no AWS provider, naming region (never the ambient aws:region)", async () => {
        const e = await runError(program(inRegion("green", "eu-west-1", "aws")), { config: { "aws:region": "eu-west-1" } });
        expect(e.message).to.include(`region: got nothing; ${RegionMissing}`);
    });

    it("refuses a provider's region outside the partition of the network's ARNs", async () => {
        const args = inRegion("green", "cn-north-1", "aws-cn");
        const e = await runError(() => {
            const provider = new aws.Provider("regional", { region: "eu-west-1" });
            program(args, { providers: { aws: provider } })();
        });
        expect(e.message).to.include(
            'region: got "eu-west-1"; expected a region of the aws-cn partition, the partition of cluster.controllerRoleArn',
        );
    });
});

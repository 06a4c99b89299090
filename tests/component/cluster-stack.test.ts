import { expect } from "chai";
import { exampleStackConfig } from "../fixtures/stack-config";
import { run, runError, runRefused, Run, secretValue } from "../harness";
import { clusterProgram } from "../../stacks/cluster";
import { BlueAccount, exampleNetworkOutputs, NetworkAccount, tgArn, VpcId } from "./cluster-attachment-fixtures";

const greenConfig = () => ({
    key: "green",
    networkStack: "network",
    accountId: NetworkAccount,
    eks: { name: "green" },
    nodeSecurityGroupIds: ["sg-0c0c0c0c0c0c0c0c0"],
    bindings: {
        web: { namespace: "shop", service: "web", port: 80 },
        api: { namespace: "shop", service: "api", port: 80 },
    },
});

const blueConfig = () => ({
    key: "blue",
    networkStack: "network",
    accountId: BlueAccount,
    eks: { create: true, name: "blue", publicAccessCidrs: ["203.0.113.0/24"] },
    bindings: {
        web: { namespace: "shop", service: "web", port: 80 },
        api: { namespace: "shop", service: "api", port: 80 },
    },
});

function options(cluster: unknown, accountId: string, extra: Record<string, string> = {}) {
    return {
        accountId,
        stack: "cluster-test",
        stackOutputs: { network: exampleNetworkOutputs() as unknown as Record<string, unknown> },
        config: { "alb-fleet:role": "cluster", "alb-fleet:cluster": JSON.stringify(cluster), ...extra },
    };
}

describe("cluster stack: the example configs", () => {
    for (const [stack, account] of [
        ["cluster-blue", BlueAccount],
        ["cluster-green", NetworkAccount],
    ] as const) {
        it(`${stack} plans against the network outputs`, async () => {
            const config = exampleStackConfig(stack);
            expect(config["alb-fleet:role"]).to.equal("cluster");
            expect(config["aws:region"]).to.equal("eu-west-1");
            const cluster = JSON.parse(config["alb-fleet:cluster"]);
            expect([cluster.networkStack, cluster.accountId, Object.keys(cluster.bindings)]).to.deep.equal([
                "network",
                account,
                ["web", "api"],
            ]);
            const r = await run(clusterProgram, { ...options(cluster, account), config, stack });
            expect(
                r
                    .ofType("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")
                    .map(x => x.name)
                    .sort(),
            ).to.deep.equal([`${cluster.key}-api`, `${cluster.key}-web`]);
        });
    }
});

describe("cluster stack: green (existing cluster, same account)", () => {
    let r: Run;
    before(async () => {
        r = await run(clusterProgram, options(greenConfig(), NetworkAccount));
    });

    it("reads the network stack by the configured name", () => {
        expect(r.get("pulumi:pulumi:StackReference", "network").inputs.name).to.equal("network");
    });

    it("attaches the looked-up cluster: IRSA through its issuer, the configured node security group", () => {
        const role = r.get("aws:iam/role:Role", "green-controller");
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0];
        expect(trust.Principal.Federated).to.match(
            /^arn:aws:iam::111111111111:oidc-provider\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/,
        );
        expect(role.inputs.name).to.equal("shared-alb-lbc-green");
        expect(
            r.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "green-alb-sg-0c0c0c0c0c0c0c0c0-8080").inputs
                .securityGroupId,
        ).to.equal("sg-0c0c0c0c0c0c0c0c0");
        const provider = r.get("pulumi:providers:kubernetes", "green");
        const kubeconfig = JSON.parse(provider.inputs.kubeconfig as string);
        expect(kubeconfig.users[0].user.exec.args).to.deep.equal([
            "eks",
            "get-token",
            "--cluster-name",
            "green",
            "--region",
            "eu-west-1",
            "--output",
            "json",
        ]);
        expect(r.get("shared-alb:index:ClusterAttachment", "green").parent).to.match(/pulumi:pulumi:Stack/);
    });

    it("exports the role, release, bindings and manifests", () => {
        const o = r.outputs;
        expect([o.clusterKey, o.accountId, o.crossAccount, o.clusterName]).to.deep.equal(["green", NetworkAccount, false, "green"]);
        expect(o.controllerRoleArn).to.equal(`arn:aws:iam::${NetworkAccount}:role/shared-alb-lbc-green`);
        expect([o.releaseName, o.releaseNamespace]).to.deep.equal(["aws-load-balancer-controller", "kube-system"]);
        expect(o.bindings.web.targetGroupArn).to.equal(tgArn("green", "web"));
        expect(o.manifests.targetGroupBindings.web.spec).to.deep.equal({
            targetGroupARN: tgArn("green", "web"),
            targetGroupProtocol: "HTTP",
            targetType: "ip",
            ipAddressType: "ipv4",
            vpcID: VpcId,
            serviceRef: { name: "web", port: 80 },
        });
        expect(o.manifests.helmValues.clusterName).to.equal("green");
    });
});

describe("cluster stack: blue (created cluster, cross account)", () => {
    let r: Run;
    before(async () => {
        r = await run(clusterProgram, options(blueConfig(), BlueAccount));
    });

    it("creates the EKS cluster in the shared subnets with an OIDC provider", () => {
        const cluster = r.get("eks:index:Cluster", "blue");
        expect(cluster.inputs).to.deep.include({
            name: "blue",
            vpcId: VpcId,
            privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            createOidcProvider: true,
            nodeAssociatePublicIpAddress: false,
            instanceType: "t3.medium",
            desiredCapacity: 2,
            minSize: 2,
            maxSize: 4,
        });
    });

    it("opens the public API endpoint to the configured CIDRs only, and keeps the private one", () => {
        const inputs = r.get("eks:index:Cluster", "blue").inputs;
        expect([inputs.endpointPublicAccess, inputs.endpointPrivateAccess, inputs.publicAccessCidrs]).to.deep.equal([
            true,
            true,
            ["203.0.113.0/24"],
        ]);
    });

    it("creates a private-only endpoint when the public one is off: no public CIDRs", async () => {
        const r2 = await run(
            clusterProgram,
            options({ ...blueConfig(), eks: { create: true, name: "blue", endpointPublicAccess: false } }, BlueAccount),
        );
        const inputs = r2.get("eks:index:Cluster", "blue").inputs;
        expect([inputs.endpointPublicAccess, inputs.endpointPrivateAccess, "publicAccessCidrs" in inputs]).to.deep.equal([
            false,
            true,
            false,
        ]);
    });

    it("attaches through the cluster's provider, node security group and the registrar role", () => {
        const attachment = r.get("shared-alb:index:ClusterAttachment", "blue");
        expect(r.get("kubernetes:helm.sh/v3:Release", "blue-controller").parent).to.equal(attachment.urn);
        expect(r.get("pulumi:providers:kubernetes", "blue-k8s").inputs.kubeconfig).to.be.a("string");
        const rule = r.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "blue-alb-nodes-8080");
        expect(rule.inputs.securityGroupId).to.match(/^sg-[0-9a-f]{17}$/);
        const spec = r.get("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", "blue-web").inputs.spec as Record<string, unknown>;
        expect(spec.iamRoleArnToAssume).to.equal(`arn:aws:iam::${NetworkAccount}:role/shared-alb-registrar-blue`);
        expect(secretValue(spec.assumeRoleExternalId)).to.equal("shared-alb-blue-5e0c1d2f");
        expect(r.outputs.crossAccount).to.equal(true);
    });

    it("applyToCluster false: manifests as outputs, no Kubernetes objects", async () => {
        const r2 = await run(clusterProgram, options({ ...blueConfig(), applyToCluster: false }, BlueAccount));
        expect(r2.resources.filter(x => x.type.startsWith("kubernetes:"))).to.deep.equal([]);
        expect(r2.outputs.manifests).to.deep.equal(r.outputs.manifests);
    });
});

describe("cluster stack: bad config fails before anything but the stack reference is registered", () => {
    const cases: [string, unknown, string, string, Record<string, string>?][] = [
        [
            "an unknown cluster key",
            { ...greenConfig(), key: "purple" },
            NetworkAccount,
            'alb-fleet:cluster.key: got "purple"; the network stack "network" has no cluster "purple"; expected one of "blue", "green"',
        ],
        [
            "a service the network does not serve",
            { ...greenConfig(), bindings: { admin: { namespace: "shop", service: "admin", port: 80 } } },
            NetworkAccount,
            'alb-fleet:cluster.bindings.admin: got "admin"; the network stack "network" serves no service "admin"; expected one of "api", "web"',
        ],
        [
            "an account other than the network's for the key",
            { ...greenConfig(), accountId: "333333333333" },
            "333333333333",
            'alb-fleet:cluster.accountId: got "333333333333"; the network stack "network" has cluster "green" in account 111111111111',
        ],
        [
            "credentials of another account",
            blueConfig(),
            NetworkAccount,
            'alb-fleet:cluster.accountId: got "222222222222"; the AWS credentials are for account 111111111111: run this cluster stack with credentials of account 222222222222',
        ],
        [
            "a region other than the network's",
            greenConfig(),
            NetworkAccount,
            "aws:region: got \"us-east-1\"; expected the network's region eu-west-1: the cluster sits in the ALB's VPC",
            { "aws:region": "us-east-1" },
        ],
        [
            "a bad namespace",
            { ...greenConfig(), bindings: { web: { namespace: "Shop", service: "web", port: 80 } } },
            NetworkAccount,
            'alb-fleet:cluster.bindings.web.namespace: got "Shop"; expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens',
        ],
        [
            "a missing eks section",
            { ...greenConfig(), eks: undefined },
            NetworkAccount,
            "alb-fleet:cluster.eks: got nothing; expected { name: <existing cluster> } or { create: true, ... }",
        ],
        [
            "a created cluster with a public endpoint and no CIDRs",
            { ...blueConfig(), eks: { create: true, name: "blue" } },
            BlueAccount,
            "alb-fleet:cluster.eks.publicAccessCidrs: got nothing; required while eks.endpointPublicAccess is true (the default): without it EKS opens " +
                "the API server to 0.0.0.0/0; give the IPv4 CIDRs that may reach it (deploy runners, VPN), or set eks.endpointPublicAccess: false to keep " +
                "the endpoint private (pulumi up must then run from inside the VPC)",
        ],
        [
            "an explicit public endpoint and no CIDRs",
            { ...blueConfig(), eks: { create: true, name: "blue", endpointPublicAccess: true } },
            BlueAccount,
            "alb-fleet:cluster.eks.publicAccessCidrs: got nothing; required while eks.endpointPublicAccess is true (the default): without it EKS opens " +
                "the API server to 0.0.0.0/0; give the IPv4 CIDRs that may reach it (deploy runners, VPN), or set eks.endpointPublicAccess: false to keep " +
                "the endpoint private (pulumi up must then run from inside the VPC)",
        ],
        [
            "no API endpoint at all",
            { ...blueConfig(), eks: { create: true, name: "blue", endpointPublicAccess: false, endpointPrivateAccess: false } },
            BlueAccount,
            "alb-fleet:cluster.eks.endpointPrivateAccess: got false; expected true while eks.endpointPublicAccess is false: the cluster needs one API server endpoint",
        ],
        [
            "public CIDRs for a private-only endpoint",
            { ...blueConfig(), eks: { create: true, name: "blue", endpointPublicAccess: false, publicAccessCidrs: ["203.0.113.0/24"] } },
            BlueAccount,
            'alb-fleet:cluster.eks.publicAccessCidrs: got ["203.0.113.0/24"]; allowed only with eks.endpointPublicAccess: true (the CIDRs that may reach the public endpoint)',
        ],
        [
            "an empty list of public CIDRs",
            { ...blueConfig(), eks: { create: true, name: "blue", publicAccessCidrs: [] } },
            BlueAccount,
            'alb-fleet:cluster.eks.publicAccessCidrs: got []; expected at least one CIDR; expected IPv4 CIDRs such as "203.0.113.0/24" that may reach ' +
                "the public API server endpoint (or eks.endpointPublicAccess: false for a private endpoint only)",
        ],
        [
            "a public CIDR that is no CIDR",
            { ...blueConfig(), eks: { create: true, name: "blue", publicAccessCidrs: ["203.0.113.0"] } },
            BlueAccount,
            'alb-fleet:cluster.eks.publicAccessCidrs[0]: got "203.0.113.0"; expected IPv4 CIDRs such as "203.0.113.0/24" that may reach the public API server endpoint',
        ],
        [
            "a repeated public CIDR",
            { ...blueConfig(), eks: { create: true, name: "blue", publicAccessCidrs: ["203.0.113.0/24", "203.0.113.0/24"] } },
            BlueAccount,
            'alb-fleet:cluster.eks.publicAccessCidrs[1]: got "203.0.113.0/24"; expected no duplicates',
        ],
        [
            "public endpoint settings for an existing cluster",
            { ...greenConfig(), eks: { name: "green", publicAccessCidrs: ["203.0.113.0/24"] } },
            NetworkAccount,
            'alb-fleet:cluster.eks.publicAccessCidrs: got ["203.0.113.0/24"]; unknown key; expected one of name, createOidcProvider, create',
        ],
        [
            "50 tags, one more than an OIDC provider of the stack can take",
            { ...greenConfig(), tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, "x"])) },
            NetworkAccount,
            'alb-fleet:cluster.tags: got "50 tags"; expected at most 49 tags: AWS allows 50 per resource, and an IAM OIDC provider this stack creates carries one more (shared-alb:stack)',
        ],
        [
            "a bad node security group",
            { ...greenConfig(), nodeSecurityGroupIds: ["sg-1"] },
            NetworkAccount,
            'alb-fleet:cluster.nodeSecurityGroupIds[0]: got "sg-1"; expected a security group ID such as "sg-0123456789abcdef0"',
        ],
        [
            "a bindingAdmissionPolicy that is not a boolean",
            { ...greenConfig(), bindingAdmissionPolicy: "no" },
            NetworkAccount,
            'alb-fleet:cluster.bindingAdmissionPolicy: got "no"; expected true or false',
        ],
        [
            "a misspelt key",
            { ...greenConfig(), bindngs: {} },
            NetworkAccount,
            "alb-fleet:cluster.bindngs: got {}; unknown key; expected one of key, networkStack, accountId, eks, nodeSecurityGroupIds, controller, securityGroupMode, bindings, multiClusterTargetGroup, applyToCluster, labelNamespaces, createNamespaces, retainNamespaces, manageCrd, bindingAdmissionPolicy, tags",
        ],
        [
            "a chart too old for a cross-account cluster",
            { ...blueConfig(), controller: { chartVersion: "1.12.0" } },
            BlueAccount,
            'alb-fleet:cluster.controller.chartVersion: got "1.12.0"; expected 1.13.0 or newer: clusters in RAM-shared subnets need controller v2.13.0 (chart 1.13.0)',
        ],
    ];
    for (const [what, cluster, account, message, extra] of cases) {
        it(`refuses ${what}`, async () => {
            const error = await runError(clusterProgram, options(cluster, account, extra));
            expect(error.message).to.equal(message);
        });
    }

    it("registers nothing but the stack reference when refused", async () => {
        const seen: string[] = [];
        await run(
            async () => {
                try {
                    await clusterProgram();
                } catch {
                    // expected
                }
                return {};
            },
            options({ ...greenConfig(), key: "purple" }, NetworkAccount),
        ).then(r => seen.push(...r.inventory()));
        expect(seen).to.deep.equal(["pulumi:pulumi:StackReference::network"]);
    });

    it("refuses a referenced stack without the network outputs", async () => {
        const outputs: Record<string, unknown> = { ...exampleNetworkOutputs() };
        delete outputs.securityGroupId;
        delete outputs.services;
        const error = await runError(clusterProgram, { ...options(greenConfig(), NetworkAccount), stackOutputs: { network: outputs } });
        expect(error.message).to.equal(
            'alb-fleet:cluster.networkStack: got "network"; the stack has no output "securityGroupId", "services"; ' +
                "expected the outputs of a shared-alb network stack (accountId, region, vpcId, securityGroupId, services, clusters)",
        );
    });

    it("refuses instance targets for a cross-account cluster", async () => {
        const outputs = exampleNetworkOutputs();
        outputs.clusters.blue.targetGroups.web.targetType = "instance";
        const error = await runError(clusterProgram, {
            ...options(blueConfig(), BlueAccount),
            stackOutputs: { network: outputs as unknown as Record<string, unknown> },
        });
        expect(error.message).to.equal(
            'alb-fleet:cluster.bindings.web: got "web"; the network\'s target group of service "web" uses "instance" targets; ' +
                'a cross-account cluster must use "ip" targets: the controller\'s webhook rejects instance targets with iamRoleArnToAssume',
        );
    });
});

describe("cluster stack: bindings follow the services the network lets the cluster run", () => {
    it("refuses a binding of a service the cluster does not run (clusters.<key>.services)", async () => {
        const outputs = exampleNetworkOutputs();
        delete (outputs.clusters.green.targetGroups as Record<string, unknown>).api;
        outputs.clusters.green.services = ["web"];
        const error = await runError(clusterProgram, {
            ...options(greenConfig(), NetworkAccount),
            stackOutputs: { network: outputs as unknown as Record<string, unknown> },
        });
        expect(error.message).to.equal(
            'alb-fleet:cluster.bindings.api: got "api"; cluster "green" does not run service "api" in the network stack "network" ' +
                '(it runs "web"); add it to clusters.green.services of the network config and run the network stack first, or drop the binding',
        );
    });

    /** The refusal of a cluster stack that leaves a weighted service unbound. */
    const unbound = (cluster: string, bound: string[], service: string, weight: number) =>
        `alb-fleet:cluster.bindings: got ${JSON.stringify(bound)}; ` +
        `the network stack "network" sends service "${service}" weight ${weight} to cluster "${cluster}", but no binding here registers its pods: that share ` +
        `of its requests would fail with 503; add bindings.${service} (namespace, service, port), or set the weight to 0 in the network stack first ` +
        `(services.${service}.weights.${cluster}, or clusters.${cluster}.weight) and run it`;
    const weighted: [string, () => Record<string, any>, string, (o: ReturnType<typeof exampleNetworkOutputs>) => void, string][] = [
        [
            "blue leaves api (weight 100) unbound",
            () => ({ ...blueConfig(), bindings: { web: blueConfig().bindings.web } }),
            BlueAccount,
            () => undefined,
            unbound("blue", ["web"], "api", 100),
        ],
        [
            "green leaves api unbound while the service weighs it 10 (the cluster's own weight is 0)",
            () => ({ ...greenConfig(), bindings: { web: greenConfig().bindings.web } }),
            NetworkAccount,
            o => {
                o.services.api.weights.green = 10;
            },
            unbound("green", ["web"], "api", 10),
        ],
        [
            "only the unbound service is named, whatever the bound one weighs",
            () => ({ ...blueConfig(), bindings: { web: blueConfig().bindings.web } }),
            BlueAccount,
            o => {
                o.services.web.weights.blue = 5;
            },
            unbound("blue", ["web"], "api", 100),
        ],
    ];
    for (const [what, config, account, edit, message] of weighted) {
        it(`refuses a weight above 0 on a service the stack does not bind: ${what}`, async () => {
            const outputs = exampleNetworkOutputs();
            edit(outputs);
            const { error, run: r } = await runRefused(clusterProgram, {
                ...options(config(), account),
                stackOutputs: { network: outputs as unknown as Record<string, unknown> },
            });
            expect(error.message).to.equal(message);
            expect(r.inventory()).to.deep.equal(["pulumi:pulumi:StackReference::network"]);
        });
    }

    it("leaves a service at weight 0 unbound: it is added to the cluster before it is bound", async () => {
        const config = { ...greenConfig(), bindings: { web: greenConfig().bindings.web } };
        const r = await run(clusterProgram, options(config, NetworkAccount));
        expect(r.ofType("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").map(x => x.name)).to.deep.equal(["green-web"]);
    });

    it("binds only the services the cluster runs", async () => {
        const outputs = exampleNetworkOutputs();
        delete (outputs.clusters.green.targetGroups as Record<string, unknown>).api;
        outputs.clusters.green.services = ["web"];
        const config = { ...greenConfig(), bindings: { web: greenConfig().bindings.web } };
        const r = await run(clusterProgram, {
            ...options(config, NetworkAccount),
            stackOutputs: { network: outputs as unknown as Record<string, unknown> },
        });
        expect(r.ofType("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").map(x => x.name)).to.deep.equal(["green-web"]);
    });
});

describe("cluster stack: VPC sharing", () => {
    it("refuses a cross-account cluster whose account the network's account-only share leaves out", async () => {
        const outputs = exampleNetworkOutputs();
        outputs.vpcSharing = { ...outputs.vpcSharing!, principals: ["333333333333"] };
        const error = await runError(clusterProgram, {
            ...options(blueConfig(), BlueAccount),
            stackOutputs: { network: outputs as unknown as Record<string, unknown> },
        });
        expect(error.message).to.equal(
            'alb-fleet:cluster.accountId: got "222222222222"; the network stack "network" shares its subnets with accounts ' +
                "333333333333 only: this cluster's nodes could not be placed in its VPC; add the account to vpcSharing.principals of the network config " +
                "(or share with the organization) and run the network stack first",
        );
    });

    it("accepts a cluster account covered by an organization share", async () => {
        const outputs = exampleNetworkOutputs();
        outputs.vpcSharing = { ...outputs.vpcSharing!, principals: ["arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5"] };
        const r = await run(clusterProgram, {
            ...options(blueConfig(), BlueAccount),
            stackOutputs: { network: outputs as unknown as Record<string, unknown> },
        });
        expect(r.get("eks:index:Cluster", "blue").inputs.privateSubnetIds).to.deep.equal(outputs.vpcSharing.subnetIds);
    });

    it("needs subnets for a created cluster when the network shares none", async () => {
        const outputs = exampleNetworkOutputs();
        delete outputs.vpcSharing;
        const error = await runError(clusterProgram, {
            ...options(blueConfig(), BlueAccount),
            stackOutputs: { network: outputs as unknown as Record<string, unknown> },
        });
        expect(error.message).to.equal(
            "alb-fleet:cluster.eks.subnetIds: got nothing; the network stack shares no subnets (vpcSharing); give the cluster's subnetIds",
        );
    });
});

describe("cluster stack: what the cluster is created or looked up with is refused before anything but the stack reference", () => {
    const longName = "b".repeat(57);
    const named = (outputs: ReturnType<typeof exampleNetworkOutputs>, key: string) => {
        outputs.clusters[key] = outputs.clusters.blue;
        return outputs;
    };
    const cases: [string, unknown, string, (o: ReturnType<typeof exampleNetworkOutputs>) => unknown, string][] = [
        [
            "a cross-account cluster name over 56 characters",
            { ...blueConfig(), eks: { ...blueConfig().eks, name: longName } },
            BlueAccount,
            o => o,
            `alb-fleet:cluster.eks.name: got "${longName}"; a cross-account cluster's name must be at most 56 characters ` +
                '(STS session name "AWS-LBC-<clusterName>" is limited to 64)',
        ],
        [
            "a cross-account cluster named by its key, over 56 characters",
            { ...blueConfig(), key: longName, eks: { create: true, publicAccessCidrs: ["203.0.113.0/24"] } },
            BlueAccount,
            o => named(o, longName),
            `alb-fleet:cluster.key: got "${longName}"; a cross-account cluster's name must be at most 56 characters ` +
                '(STS session name "AWS-LBC-<clusterName>" is limited to 64)',
        ],
        [
            "a network region that is no region",
            greenConfig(),
            NetworkAccount,
            o => Object.assign(o, { region: "Europe" }),
            'alb-fleet:cluster.networkStack: got "network"; its output region is "Europe"; expected an AWS region such as "eu-west-1"',
        ],
        [
            "a network VPC that is no VPC ID",
            blueConfig(),
            BlueAccount,
            o => Object.assign(o, { vpcId: "vpc-1" }),
            'alb-fleet:cluster.networkStack: got "network"; its output vpcId is "vpc-1"; expected a VPC ID such as "vpc-0123456789abcdef0"',
        ],
        [
            "a network ALB security group that is not a string",
            greenConfig(),
            NetworkAccount,
            o => Object.assign(o, { securityGroupId: 42 }),
            'alb-fleet:cluster.networkStack: got "network"; its output securityGroupId is 42; expected a security group ID such as "sg-0123456789abcdef0"',
        ],
        [
            "a network region outside the partition of the cluster's role",
            blueConfig(),
            BlueAccount,
            o => Object.assign(o, { region: "cn-north-1" }),
            'alb-fleet:cluster.networkStack: got "network"; its output region is "cn-north-1", outside the aws partition of clusters.blue.controllerRoleArn',
        ],
    ];
    for (const [what, cluster, account, edit, message] of cases) {
        it(`refuses ${what}`, async () => {
            const outputs = edit(exampleNetworkOutputs()) as Record<string, unknown>;
            const { error, run: r } = await runRefused(clusterProgram, {
                ...options(cluster, account),
                stackOutputs: { network: outputs },
            });
            expect(error.message).to.equal(message);
            expect(r.inventory()).to.deep.equal(["pulumi:pulumi:StackReference::network"]);
        });
    }

    it("accepts a same-account cluster name over 56 characters (no STS session is assumed)", async () => {
        const outputs = exampleNetworkOutputs();
        const r = await run(clusterProgram, {
            ...options(
                {
                    ...blueConfig(),
                    key: "green",
                    accountId: NetworkAccount,
                    eks: { create: true, name: longName, publicAccessCidrs: ["203.0.113.0/24"] },
                },
                NetworkAccount,
            ),
            stackOutputs: { network: outputs as unknown as Record<string, unknown> },
        });
        expect(r.get("eks:index:Cluster", "green").inputs.name).to.equal(longName);
    });
});

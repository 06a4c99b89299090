import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import { run, Run, secretValue } from "../harness";
import { ClusterAttachment } from "../../components";
import { ClusterNetworkArgs } from "../../components/cluster-attachment/args";
import { admissionPolicyManifests } from "../../components/cluster-attachment/admission-policy";
import { ConfigErrors } from "../../components/internal/errors";
import {
    AlbSecurityGroupId,
    attachmentArgs,
    attachmentProgram,
    BlueAccount,
    BlueIssuer,
    BlueNodesSg,
    GreenIssuer,
    GreenNodesSg,
    NetworkAccount,
    tgArn,
    VpcId,
} from "./cluster-attachment-fixtures";

const T = {
    component: "shared-alb:index:ClusterAttachment",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    crd: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch",
    release: "kubernetes:helm.sh/v3:Release",
    nsPatch: "kubernetes:core/v1:NamespacePatch",
    ns: "kubernetes:core/v1:Namespace",
    tgb: "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
    vap: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
    vapBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
    k8sProvider: "pulumi:providers:kubernetes",
};

const expectedValues = (cluster: string, account: string) => ({
    clusterName: cluster,
    region: "eu-west-1",
    vpcId: VpcId,
    replicaCount: 2,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    serviceAccount: {
        create: true,
        name: "aws-load-balancer-controller",
        annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::${account}:role/shared-alb-lbc-${cluster}` },
    },
    createIngressClassResource: false,
    ingressClass: "shared-alb-tgb-only",
    ingressClassParams: { create: false },
    disableIngressClassAnnotation: true,
    enableServiceMutatorWebhook: false,
    enablePodReadinessGateInject: true,
    controllerConfig: {
        featureGates: { EnableServiceController: false, ALBGatewayAPI: false, NLBGatewayAPI: false, GatewayListenerSet: false },
    },
    keepTLSSecret: true,
    podDisruptionBudget: { maxUnavailable: 1 },
});

function tgbSpec(cluster: string, service: "web" | "api", extra: Record<string, unknown> = {}) {
    return {
        targetGroupARN: tgArn(cluster, service),
        targetGroupProtocol: "HTTP",
        targetType: "ip",
        ipAddressType: "ipv4",
        vpcID: VpcId,
        serviceRef: service === "web" ? { name: "web", port: 80 } : { name: "api", port: "http" },
        ...extra,
    };
}

function urnOf(r: Run, type: string, name: string): string {
    return r.get(type, name).urn;
}

describe("ClusterAttachment component: green (same account)", () => {
    let r: Run;
    before(async () => {
        r = await run(attachmentProgram("green"), { accountId: NetworkAccount });
    });

    it("registers exactly the role, policy, SG rules, CRD, release, namespace label, admission policy and its binding, and two bindings", () => {
        expect(r.inventory()).to.deep.equal(
            [
                `${T.role}::green-controller`,
                `${T.rolePolicy}::green-controller`,
                `${T.ingress}::green-alb-nodes-8080`,
                `${T.ingress}::green-alb-nodes-9000`,
                `${T.crd}::green-tgb-crd`,
                `${T.nsPatch}::green-ns-shop`,
                `${T.release}::green-controller`,
                `${T.tgb}::green-api`,
                `${T.tgb}::green-web`,
                `${T.vap}::green-tgb-policy`,
                `${T.vapBinding}::green-tgb-policy`,
                `${T.k8sProvider}::green-k8s`,
                `${T.component}::green`,
            ].sort(),
        );
    });

    it("parents every child to the component", () => {
        const component = urnOf(r, T.component, "green");
        for (const res of r.resources.filter(x => x.type !== T.component && x.type !== T.k8sProvider)) {
            expect(res.parent, `${res.type} ${res.name}`).to.equal(component);
        }
    });

    it("sends every Kubernetes object through the cluster's provider, and no AWS resource", () => {
        const provider = r.get(T.k8sProvider, "green-k8s").urn;
        for (const res of r.resources.filter(x => x.type.startsWith("kubernetes:"))) {
            expect(res.provider, `${res.type} ${res.name}`).to.equal(provider);
        }
        expect(r.resources.filter(x => x.type.startsWith("kubernetes:")).length).to.equal(7);
        for (const res of r.resources.filter(x => x.type.startsWith("aws:"))) {
            expect(res.provider, `${res.type} ${res.name}`).to.equal(undefined);
        }
    });

    it("names the controller role exactly as the network expects, trusting only the service account", () => {
        const role = r.get(T.role, "green-controller");
        expect(role.inputs.name).to.equal("shared-alb-lbc-green");
        expect(role.inputs.path).to.equal("/");
        expect(role.outputs.arn).to.equal(`arn:aws:iam::${NetworkAccount}:role/shared-alb-lbc-green`);
        expect(JSON.parse(role.inputs.assumeRolePolicy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ControllerServiceAccount",
                    Effect: "Allow",
                    Principal: { Federated: `arn:aws:iam::${NetworkAccount}:oidc-provider/${GreenIssuer}` },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${GreenIssuer}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
                            [`${GreenIssuer}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
    });

    it("grants register/deregister on its own target groups only", () => {
        const policy = r.get(T.rolePolicy, "green-controller");
        expect(policy.inputs.role).to.equal("shared-alb-lbc-green");
        expect(JSON.parse(policy.inputs.policy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DescribeVpcsAndSecurityGroups",
                    Effect: "Allow",
                    Action: ["ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                    Resource: "*",
                },
                {
                    Sid: "DescribeTargetGroups",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                    Resource: "*",
                },
                {
                    Sid: "RegisterOwnTargets",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
                    Resource: [tgArn("green", "api"), tgArn("green", "web")],
                },
            ],
        });
    });

    it("opens the node security group to the ALB security group on each target port", () => {
        for (const port of [8080, 9000]) {
            const rule = r.get(T.ingress, `green-alb-nodes-${port}`);
            expect(rule.inputs).to.deep.include({
                securityGroupId: GreenNodesSg,
                referencedSecurityGroupId: AlbSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                description: `shared-alb: ALB to ${port === 8080 ? "web" : "api"} (ip: traffic and health checks)`,
            });
            expect(rule.inputs).to.not.have.property("cidrIpv4");
        }
    });

    it("mirrors the ALB's egress for instance targets: the NodePort range (or the declared NodePort) and a separate health-check port", async () => {
        const cluster = JSON.parse(JSON.stringify(attachmentArgs("green").cluster)) as ClusterNetworkArgs;
        Object.assign(cluster.targetGroups.api, { targetType: "instance", healthCheckPort: 10256 });
        const instance = await run(attachmentProgram("green", { cluster }), { accountId: NetworkAccount });
        expect(
            instance
                .ofType(T.ingress)
                .map(x => [x.name, x.inputs.fromPort, x.inputs.toPort, x.inputs.ipProtocol, x.inputs.description])
                .sort(),
        ).to.deep.equal([
            ["green-alb-nodes-10256", 10256, 10256, "tcp", "shared-alb: ALB to api (instance: health checks)"],
            ["green-alb-nodes-30000-32767", 30000, 32767, "tcp", "shared-alb: ALB to api (instance: NodePort range, traffic)"],
            ["green-alb-nodes-8080", 8080, 8080, "tcp", "shared-alb: ALB to web (ip: traffic and health checks)"],
        ]);
        cluster.targetGroups.api.nodePort = 31090;
        const declared = await run(attachmentProgram("green", { cluster }), { accountId: NetworkAccount });
        expect(
            declared
                .ofType(T.ingress)
                .map(x => x.name)
                .sort(),
        ).to.deep.equal(["green-alb-nodes-10256", "green-alb-nodes-31090", "green-alb-nodes-8080"]);
    });

    it("applies the pinned TargetGroupBinding CRD as a forced patch (created or taken over), kept on delete", () => {
        expect(r.ofType("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition")).to.deep.equal([]);
        const crd = r.get(T.crd, "green-tgb-crd");
        expect(crd.options.retainOnDelete).to.equal(true);
        expect((crd.inputs.metadata as any).name).to.equal("targetgroupbindings.elbv2.k8s.aws");
        expect((crd.inputs.metadata as any).annotations["pulumi.com/patchForce"]).to.equal("true");
        const versions = (crd.inputs.spec as any).versions.map((v: any) => [v.name, v.storage]);
        expect(versions).to.deep.equal([
            ["v1alpha1", false],
            ["v1beta1", true],
        ]);
    });

    it("installs the controller with the TGB-only values, awaited, after the role, its policy and the CRD", () => {
        const release = r.get(T.release, "green-controller");
        expect(release.inputs).to.deep.include({
            name: "aws-load-balancer-controller",
            chart: "aws-load-balancer-controller",
            version: "3.5.0",
            namespace: "kube-system",
            createNamespace: false,
            skipAwait: false,
            skipCrds: false,
            atomic: true,
        });
        expect(release.inputs.repositoryOpts).to.deep.equal({ repo: "https://aws.github.io/eks-charts" });
        expect(release.inputs.values).to.deep.equal(expectedValues("green", NetworkAccount));
        expect(release.options.dependsOn).to.have.members([
            urnOf(r, T.role, "green-controller"),
            urnOf(r, T.rolePolicy, "green-controller"),
            urnOf(r, T.crd, "green-tgb-crd"),
        ]);
    });

    it("binds each service after the release, the security-group rules, the admission policy's binding and its namespace's label", () => {
        for (const service of ["web", "api"] as const) {
            const tgb = r.get(T.tgb, `green-${service}`);
            expect(tgb.inputs.apiVersion).to.equal("elbv2.k8s.aws/v1beta1");
            expect(tgb.inputs.kind).to.equal("TargetGroupBinding");
            expect(tgb.inputs.metadata).to.deep.equal({
                name: `shared-alb-${service}`,
                namespace: "shop",
                labels: { "app.kubernetes.io/part-of": "shared-alb", "shared-alb/service": service },
            });
            expect(tgb.inputs.spec).to.deep.equal(tgbSpec("green", service));
            expect(tgb.options.dependsOn).to.have.members([
                urnOf(r, T.release, "green-controller"),
                urnOf(r, T.ingress, "green-alb-nodes-8080"),
                urnOf(r, T.ingress, "green-alb-nodes-9000"),
                urnOf(r, T.vapBinding, "green-tgb-policy"),
                urnOf(r, T.nsPatch, "green-ns-shop"),
            ]);
        }
    });

    it("replaces a binding whose immutable fields change, deleting the old one first", () => {
        for (const service of ["web", "api"] as const) {
            const options = r.get(T.tgb, `green-${service}`).options;
            expect(options.replaceOnChanges).to.deep.equal(["spec.targetGroupARN", "spec.targetType", "spec.ipAddressType", "spec.vpcID"]);
            expect(options.deleteBeforeReplace).to.equal(true);
        }
        expect(r.get(T.release, "green-controller").options.replaceOnChanges).to.deep.equal([]);
    });

    it("labels the bound namespace for readiness gates with a patch", () => {
        expect(r.get(T.nsPatch, "green-ns-shop").inputs.metadata).to.deep.equal({
            name: "shop",
            labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
        });
    });

    it("exposes the role, release, bindings and rendered manifests", () => {
        const o = r.outputs;
        expect(o.controllerRoleArn).to.equal(`arn:aws:iam::${NetworkAccount}:role/shared-alb-lbc-green`);
        expect([o.releaseName, o.releaseNamespace]).to.deep.equal(["aws-load-balancer-controller", "kube-system"]);
        expect(o.serviceAccount).to.deep.equal({ namespace: "kube-system", name: "aws-load-balancer-controller" });
        expect(o.bindings.web).to.deep.equal({
            namespace: "shop",
            name: "shared-alb-web",
            service: "web",
            port: 80,
            targetGroupArn: tgArn("green", "web"),
            targetType: "ip",
        });
        expect(o.manifests.chart).to.deep.equal({
            name: "aws-load-balancer-controller",
            repository: "https://aws.github.io/eks-charts",
            version: "3.5.0",
            releaseName: "aws-load-balancer-controller",
            namespace: "kube-system",
        });
        expect(o.manifests.helmValues).to.deep.equal(expectedValues("green", NetworkAccount));
        expect(o.manifests.targetGroupBindings.api.spec).to.deep.equal(tgbSpec("green", "api"));
        expect(Object.keys(o.manifests.namespaces)).to.deep.equal(["shop"]);
        expect(Object.keys(o.manifests.crds)).to.deep.equal(["targetgroupbindings.elbv2.k8s.aws"]);
        expect(o.manifests.crds["targetgroupbindings.elbv2.k8s.aws"].spec).to.deep.equal(r.get(T.crd, "green-tgb-crd").inputs.spec);
        expect(Object.keys(o.securityGroupRuleIds).sort()).to.deep.equal(["nodes-8080", "nodes-9000"]);
    });
});

describe("ClusterAttachment component: blue (cross account)", () => {
    let r: Run;
    before(async () => {
        r = await run(attachmentProgram("blue"), { accountId: BlueAccount });
    });

    it("lets the controller assume only the registrar role: every load balancing call goes through it", () => {
        expect(r.get(T.role, "blue-controller").outputs.arn).to.equal(`arn:aws:iam::${BlueAccount}:role/shared-alb-lbc-blue`);
        expect(
            JSON.parse(r.get(T.role, "blue-controller").inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals,
        ).to.deep.equal({
            [`${BlueIssuer}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
            [`${BlueIssuer}:aud`]: "sts.amazonaws.com",
        });
        expect(JSON.parse(r.get(T.rolePolicy, "blue-controller").inputs.policy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DescribeVpcsAndSecurityGroups",
                    Effect: "Allow",
                    Action: ["ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                    Resource: "*",
                },
                {
                    Sid: "AssumeRegistrarRole",
                    Effect: "Allow",
                    Action: "sts:AssumeRole",
                    Resource: `arn:aws:iam::${NetworkAccount}:role/shared-alb-registrar-blue`,
                },
            ],
        });
    });

    it("binds through the registrar role with the external ID, a secret field of its own in the binding's spec", () => {
        for (const service of ["web", "api"] as const) {
            const spec = r.get(T.tgb, `blue-${service}`).inputs.spec as Record<string, unknown>;
            expect(secretValue(spec.assumeRoleExternalId)).to.equal("shared-alb-blue-5e0c1d2f");
            expect({ ...spec, assumeRoleExternalId: "shared-alb-blue-5e0c1d2f" }).to.deep.equal(
                tgbSpec("blue", service, {
                    iamRoleArnToAssume: `arn:aws:iam::${NetworkAccount}:role/shared-alb-registrar-blue`,
                    assumeRoleExternalId: "shared-alb-blue-5e0c1d2f",
                }),
            );
        }
        // The manifests for GitOps carry it in clear: the controller reads it from the spec.
        expect(r.outputs.manifests.targetGroupBindings.web.spec.assumeRoleExternalId).to.equal("shared-alb-blue-5e0c1d2f");
    });

    it("installs the controller with blue's values and the SG rules on blue's nodes", () => {
        expect(r.get(T.release, "blue-controller").inputs.values).to.deep.equal(expectedValues("blue", BlueAccount));
        expect(r.get(T.ingress, "blue-alb-nodes-8080").inputs.securityGroupId).to.equal(BlueNodesSg);
    });
});

describe("ClusterAttachment component: options", () => {
    it("applyToCluster false: no Kubernetes objects, the same manifests as outputs", async () => {
        const applied = await run(attachmentProgram("blue"), { accountId: BlueAccount });
        const r = await run(attachmentProgram("blue", { applyToCluster: false }), { accountId: BlueAccount });
        expect(r.resources.filter(x => x.type.startsWith("kubernetes:"))).to.deep.equal([]);
        expect(r.ofType(T.role)).to.have.length(1);
        expect(r.ofType(T.ingress)).to.have.length(2);
        expect(r.outputs.manifests).to.deep.equal(applied.outputs.manifests);
        expect(r.outputs.releaseName).to.equal(undefined);
    });

    it("install false: no release and no CRD; bindings wait for the role and policy", async () => {
        const r = await run(attachmentProgram("green", { controller: { install: false } }), { accountId: NetworkAccount });
        expect(r.ofType(T.release)).to.deep.equal([]);
        expect(r.ofType(T.crd)).to.deep.equal([]);
        expect(r.get(T.tgb, "green-web").options.dependsOn).to.have.members([
            r.get(T.role, "green-controller").urn,
            r.get(T.rolePolicy, "green-controller").urn,
            r.get(T.ingress, "green-alb-nodes-8080").urn,
            r.get(T.ingress, "green-alb-nodes-9000").urn,
            r.get(T.vapBinding, "green-tgb-policy").urn,
            r.get(T.nsPatch, "green-ns-shop").urn,
        ]);
        // Without a managed CRD the policy waits for nothing.
        expect(r.get(T.vap, "green-tgb-policy").options.dependsOn).to.deep.equal([]);
        expect(r.outputs.manifests).to.not.have.property("chart");
        expect(r.outputs.manifests).to.not.have.property("helmValues");
        expect(r.outputs.manifests).to.not.have.property("crds");
    });

    it("controller mode: no SG rules; bindings carry networking.ingress; the role may edit only the node SGs", async () => {
        const r = await run(attachmentProgram("blue", { securityGroupMode: "controller" }), { accountId: BlueAccount });
        expect(r.ofType(T.ingress)).to.deep.equal([]);
        expect((r.get(T.tgb, "blue-api").inputs.spec as any).networking).to.deep.equal({
            ingress: [{ from: [{ securityGroup: { groupID: AlbSecurityGroupId } }], ports: [{ port: 9000, protocol: "TCP" }] }],
        });
        const policy = JSON.parse(r.get(T.rolePolicy, "blue-controller").inputs.policy as string);
        expect(policy.Statement.slice(2)).to.deep.equal([
            {
                Sid: "DescribeTargetsForNetworking",
                Effect: "Allow",
                Action: ["ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces"],
                Resource: "*",
            },
            {
                Sid: "ManageNodeSecurityGroupIngress",
                Effect: "Allow",
                Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
                Resource: [`arn:aws:ec2:eu-west-1:${BlueAccount}:security-group/${BlueNodesSg}`],
            },
        ]);
        expect(r.get(T.release, "blue-controller").options.dependsOn).to.have.length(3);
    });

    it("multiClusterTargetGroup sets the flag on every binding; labelNamespaces false skips the label", async () => {
        const r = await run(attachmentProgram("green", { multiClusterTargetGroup: true, labelNamespaces: false }), {
            accountId: NetworkAccount,
        });
        expect((r.get(T.tgb, "green-web").inputs.spec as any).multiClusterTargetGroup).to.equal(true);
        expect(r.ofType(T.nsPatch)).to.deep.equal([]);
        expect(r.outputs.manifests.namespaces).to.deep.equal({});
    });

    it("createNamespaces: every namespace server-side applied (created or adopted) and kept on delete, labelled where ip bindings live, waited for", async () => {
        const r = await run(
            attachmentProgram("green", {
                createNamespaces: true,
                bindings: {
                    web: { namespace: "shop", service: "web", port: 80 },
                    api: { namespace: "api-team", service: "api", port: 80 },
                },
                controller: { namespace: "lbc" },
            }),
            { accountId: NetworkAccount },
        );
        expect(r.ofType(T.ns)).to.deep.equal([]);
        expect(r.ofType(T.nsPatch).map(n => [n.name, n.inputs.metadata, n.options.retainOnDelete, n.read])).to.deep.equal([
            ["green-ns-api-team", { name: "api-team", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } }, true, false],
            ["green-ns-lbc", { name: "lbc" }, true, false],
            ["green-ns-shop", { name: "shop", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } }, true, false],
        ]);
        expect(r.get(T.tgb, "green-web").options.dependsOn).to.include(r.get(T.nsPatch, "green-ns-shop").urn);
        expect(r.get(T.tgb, "green-api").options.dependsOn).to.include(r.get(T.nsPatch, "green-ns-api-team").urn);
        expect(r.get(T.tgb, "green-api").options.dependsOn).to.not.include(r.get(T.nsPatch, "green-ns-shop").urn);
        expect(r.get(T.release, "green-controller").options.dependsOn).to.include(r.get(T.nsPatch, "green-ns-lbc").urn);
        expect(Object.keys(r.outputs.manifests.namespaces)).to.deep.equal(["api-team", "lbc", "shop"]);
    });

    it("createNamespaces with retainNamespaces false: plain Namespace resources, deleted with the component; the label can be off", async () => {
        const r = await run(attachmentProgram("green", { createNamespaces: true, retainNamespaces: false, labelNamespaces: false }), {
            accountId: NetworkAccount,
        });
        const ns = r.get(T.ns, "green-ns-shop");
        expect([ns.inputs.metadata, ns.options.retainOnDelete]).to.deep.equal([{ name: "shop" }, false]);
        expect(r.ofType(T.nsPatch)).to.deep.equal([]);
        // kube-system exists in every cluster: never created.
        expect(r.ofType(T.ns)).to.have.length(1);
        expect(r.get(T.release, "green-controller").options.dependsOn).to.not.include(ns.urn);
    });

    it("adding a binding renames nothing that exists", async () => {
        const before = await run(attachmentProgram("green", { bindings: { web: { namespace: "shop", service: "web", port: 80 } } }), {
            accountId: NetworkAccount,
        });
        const after = await run(attachmentProgram("green"), { accountId: NetworkAccount });
        const urns = (x: Run) => new Set(x.resources.map(res => res.urn));
        for (const urn of urns(before)) {
            expect(urns(after).has(urn), urn).to.equal(true);
        }
    });

    it("bad input: a path-named error and nothing registered", async () => {
        let error: unknown;
        const r = await run(
            () => {
                const provider = new k8s.Provider("green-k8s", { kubeconfig: "{}" });
                try {
                    new ClusterAttachment(
                        "green",
                        attachmentArgs("green", {
                            bindings: { admin: { namespace: "shop", service: "admin", port: 80 } },
                        }),
                        { providers: { kubernetes: provider } },
                    );
                } catch (e) {
                    error = e;
                }
                return {};
            },
            { accountId: NetworkAccount },
        );
        expect(error).to.be.instanceOf(ConfigErrors);
        expect((error as Error).message).to.equal(
            'bindings.admin: got "admin"; this cluster has no target group for service "admin" (it does not run it: see clusters.<key>.services of the network); expected one of "api", "web"',
        );
        expect(r.inventory()).to.deep.equal([`${T.k8sProvider}::green-k8s`]);
    });
});

describe("ClusterAttachment component: the TargetGroupBinding admission policy", () => {
    let r: Run;
    before(async () => {
        r = await run(
            attachmentProgram("green", {
                bindings: {
                    web: { namespace: "shop", service: "web", port: 80 },
                    api: { namespace: "api-team", service: "api", portName: "http" },
                },
            }),
            { accountId: NetworkAccount },
        );
    });
    const expected = () =>
        admissionPolicyManifests([
            { targetGroupArn: tgArn("green", "web"), namespace: "shop" },
            { targetGroupArn: tgArn("green", "api"), namespace: "api-team" },
        ]);

    it("applies the policy pinning each of the cluster's target groups to its binding's namespace, and its binding, as the manifests render them", () => {
        const policy = r.get(T.vap, "green-tgb-policy");
        const binding = r.get(T.vapBinding, "green-tgb-policy");
        expect({ metadata: policy.inputs.metadata, spec: policy.inputs.spec }).to.deep.equal({
            metadata: expected().ValidatingAdmissionPolicy.metadata,
            spec: expected().ValidatingAdmissionPolicy.spec,
        });
        expect((policy.inputs.spec as any).variables[0]).to.deep.equal({
            name: "pinnedNamespaces",
            expression: `{"${tgArn("green", "api")}": "api-team", "${tgArn("green", "web")}": "shop"}`,
        });
        expect({ metadata: binding.inputs.metadata, spec: binding.inputs.spec }).to.deep.equal({
            metadata: expected().ValidatingAdmissionPolicyBinding.metadata,
            spec: expected().ValidatingAdmissionPolicyBinding.spec,
        });
        expect(r.outputs.manifests.admissionPolicy).to.deep.equal(expected());
    });

    it("orders CRD -> policy -> its binding -> every TargetGroupBinding, all children of the component through the cluster's provider", () => {
        const policy = r.get(T.vap, "green-tgb-policy");
        const binding = r.get(T.vapBinding, "green-tgb-policy");
        expect(policy.options.dependsOn).to.deep.equal([r.get(T.crd, "green-tgb-crd").urn]);
        expect(binding.options.dependsOn).to.deep.equal([policy.urn]);
        for (const tgb of r.ofType(T.tgb)) {
            expect(tgb.options.dependsOn, tgb.name).to.include(binding.urn);
        }
        const component = r.get(T.component, "green").urn;
        const provider = r.get(T.k8sProvider, "green-k8s").urn;
        expect([policy, binding].map(x => [x.parent, x.provider])).to.deep.equal([
            [component, provider],
            [component, provider],
        ]);
    });

    it("bindingAdmissionPolicy false: neither object, in pulumi up nor in the manifests, and the bindings wait for nothing more", async () => {
        const off = await run(attachmentProgram("green", { bindingAdmissionPolicy: false }), { accountId: NetworkAccount });
        expect([off.ofType(T.vap), off.ofType(T.vapBinding)]).to.deep.equal([[], []]);
        expect(off.outputs.manifests).to.not.have.property("admissionPolicy");
        expect(off.get(T.tgb, "green-web").options.dependsOn).to.have.members([
            off.get(T.release, "green-controller").urn,
            off.get(T.ingress, "green-alb-nodes-8080").urn,
            off.get(T.ingress, "green-alb-nodes-9000").urn,
            off.get(T.nsPatch, "green-ns-shop").urn,
        ]);
    });

    it("applyToCluster false: no objects applied, the policy still in the manifests", async () => {
        const gitops = await run(attachmentProgram("green", { applyToCluster: false }), { accountId: NetworkAccount });
        expect(gitops.resources.filter(x => x.type.startsWith("kubernetes:admissionregistration"))).to.deep.equal([]);
        expect(gitops.outputs.manifests.admissionPolicy.ValidatingAdmissionPolicy.spec.variables[0].expression).to.equal(
            `{"${tgArn("green", "api")}": "shop", "${tgArn("green", "web")}": "shop"}`,
        );
    });
});

import { expect } from "chai";
import {
    formatPath,
    ImmutableFields,
    parsePath,
    pathContains,
    ReplaceRules,
    replacingProperties,
    valuesAt,
} from "../../cli/plan/replace-on";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const replaces = (type: string, before: Record<string, unknown>, after: Record<string, unknown>, replaceOnChanges: string[] = []) =>
    replacingProperties(ReplaceRules[type], before, after, replaceOnChanges, same);

describe("replace-on table: which changes replace a resource", () => {
    const cases: [string, string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
        ["a target group's port", "aws:lb/targetGroup:TargetGroup", { name: "a", port: 8080 }, { name: "a", port: 9000 }, ["port"]],
        [
            "a target group's health check (modified in place)",
            "aws:lb/targetGroup:TargetGroup",
            { port: 8080, healthCheck: { path: "/" } },
            { port: 8080, healthCheck: { path: "/healthz" } },
            [],
        ],
        [
            "a target group's name and target type",
            "aws:lb/targetGroup:TargetGroup",
            { name: "a", targetType: "ip" },
            { name: "b", targetType: "instance" },
            ["name", "targetType"],
        ],
        ["the ALB's scheme", "aws:lb/loadBalancer:LoadBalancer", { internal: false }, { internal: true }, ["internal"]],
        ["the ALB's idle timeout (in place)", "aws:lb/loadBalancer:LoadBalancer", { idleTimeout: 60 }, { idleTimeout: 120 }, []],
        [
            "a listener rule's priority (SetRulePriorities, in place)",
            "aws:lb/listenerRule:ListenerRule",
            { priority: 10 },
            { priority: 20 },
            [],
        ],
        ["a listener rule's listener", "aws:lb/listenerRule:ListenerRule", { listenerArn: "l1" }, { listenerArn: "l2" }, ["listenerArn"]],
        [
            "a security group's description",
            "aws:ec2/securityGroup:SecurityGroup",
            { description: "a" },
            { description: "b" },
            ["description"],
        ],
        [
            "an ingress rule's port (ModifySecurityGroupRules, in place)",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            { securityGroupId: "sg-1", fromPort: 80, cidrIpv4: "10.0.0.0/16" },
            { securityGroupId: "sg-1", fromPort: 81, cidrIpv4: "10.0.0.0/16" },
            [],
        ],
        [
            "an ingress rule's source type",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            { securityGroupId: "sg-1", cidrIpv4: "10.0.0.0/16" },
            { securityGroupId: "sg-1", referencedSecurityGroupId: "sg-2" },
            ["cidrIpv4 -> referencedSecurityGroupId"],
        ],
        [
            "an ingress rule's source of the same type (in place)",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            { securityGroupId: "sg-1", referencedSecurityGroupId: "sg-2" },
            { securityGroupId: "sg-1", referencedSecurityGroupId: "sg-3" },
            [],
        ],
        [
            "an egress rule's group",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
            { securityGroupId: "sg-1", cidrIpv4: "10.0.0.0/16" },
            { securityGroupId: "sg-9", cidrIpv4: "10.0.0.0/16" },
            ["securityGroupId"],
        ],
        [
            "a role's trust policy (in place)",
            "aws:iam/role:Role",
            { name: "r", assumeRolePolicy: "{}" },
            { name: "r", assumeRolePolicy: '{"a":1}' },
            [],
        ],
        ["a role's path", "aws:iam/role:Role", { name: "r", path: "/" }, { name: "r", path: "/lbc/" }, ["path"]],
        ["a role policy's role", "aws:iam/rolePolicy:RolePolicy", { role: "a", policy: "{}" }, { role: "b", policy: "{}" }, ["role"]],
        [
            "an OIDC provider's URL",
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
            { url: "https://a" },
            { url: "https://b" },
            ["url"],
        ],
        ["a Namespace's name", "kubernetes:core/v1:Namespace", { metadata: { name: "a" } }, { metadata: { name: "b" } }, ["metadata.name"]],
        [
            "a Namespace's labels (in place)",
            "kubernetes:core/v1:Namespace",
            { metadata: { name: "a" } },
            { metadata: { name: "a", labels: { x: "y" } } },
            [],
        ],
        [
            "a binding's target group ARN without replaceOnChanges (the provider updates it)",
            "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
            { metadata: { name: "b", namespace: "shop" }, spec: { targetGroupARN: "a" } },
            { metadata: { name: "b", namespace: "shop" }, spec: { targetGroupARN: "b" } },
            [],
        ],
        [
            "a Helm release's chart version (upgraded in place)",
            "kubernetes:helm.sh/v3:Release",
            { name: "r", version: "3.4.0" },
            { name: "r", version: "3.5.0" },
            [],
        ],
        [
            "a Helm release's namespace",
            "kubernetes:helm.sh/v3:Release",
            { name: "r", namespace: "a" },
            { name: "r", namespace: "b" },
            ["namespace"],
        ],
        ["an EKS cluster's name", "eks:index:Cluster", { name: "a", version: "1.32" }, { name: "b", version: "1.33" }, ["name"]],
        [
            "an EKS cluster's version (upgraded in place)",
            "eks:index:Cluster",
            { name: "a", version: "1.32" },
            { name: "a", version: "1.33" },
            [],
        ],
    ];
    for (const [what, type, before, after, expected] of cases) {
        it(`${what}: ${expected.length > 0 ? expected.join(", ") : "no replacement"}`, () => {
            expect(replaces(type, before, after)).to.deep.equal(expected);
        });
    }

    it("replaceOnChanges turns a change under its paths into a replacement, wildcards included", () => {
        const type = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding";
        const before = { metadata: { name: "b" }, spec: { targetGroupARN: "a", serviceRef: { name: "web", port: 80 } } };
        expect(replaces(type, before, { ...before, spec: { ...before.spec, targetGroupARN: "b" } }, ["spec.targetGroupARN"])).to.deep.equal(
            ["spec.targetGroupARN"],
        );
        expect(
            replaces(type, before, { ...before, spec: { ...before.spec, serviceRef: { name: "web", port: 81 } } }, ["spec.targetGroupARN"]),
        ).to.deep.equal([]);
        expect(
            replaces(type, before, { ...before, spec: { ...before.spec, serviceRef: { name: "web", port: 81 } } }, ["spec.*.port"]),
        ).to.deep.equal(["spec.*.port"]);
    });

    it("lists the binding fields the controller's webhook refuses to change", () => {
        expect(ImmutableFields["kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding"]).to.deep.equal([
            "spec.targetGroupARN",
            "spec.targetType",
            "spec.ipAddressType",
            "spec.vpcID",
        ]);
    });
});

describe("replace-on table: the Kubernetes provider", () => {
    const kubeconfig = (server: string, user = "u") =>
        JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            "current-context": "c",
            clusters: [{ name: "k", cluster: { server, "certificate-authority-data": "Q0E=" } }],
            contexts: [{ name: "c", context: { cluster: "k", user } }],
            users: [{ name: user, user: { token: "t" } }],
        });
    const type = "pulumi:providers:kubernetes";

    it("is replaced when the kubeconfig's active cluster changes", () => {
        expect(replaces(type, { kubeconfig: kubeconfig("https://a") }, { kubeconfig: kubeconfig("https://b") })).to.deep.equal([
            "kubeconfig",
        ]);
    });

    it("is kept when only the credentials change", () => {
        expect(replaces(type, { kubeconfig: kubeconfig("https://a", "u") }, { kubeconfig: kubeconfig("https://a", "v") })).to.deep.equal(
            [],
        );
    });

    it("is replaced when the kubeconfig cannot be read (unknown until deployment)", () => {
        expect(
            replaces(type, { kubeconfig: kubeconfig("https://a") }, { kubeconfig: "<new kubeconfigJson of eks cluster>" }),
        ).to.deep.equal(["kubeconfig"]);
    });

    it("is kept whatever the kubeconfig says while clusterIdentifier stays the same", () => {
        expect(
            replaces(
                type,
                { kubeconfig: kubeconfig("https://a"), clusterIdentifier: "blue" },
                { kubeconfig: kubeconfig("https://b"), clusterIdentifier: "blue" },
            ),
        ).to.deep.equal([]);
        expect(
            replaces(
                type,
                { kubeconfig: kubeconfig("https://a"), clusterIdentifier: "blue" },
                { kubeconfig: kubeconfig("https://a"), clusterIdentifier: "green" },
            ),
        ).to.deep.equal(["clusterIdentifier"]);
    });
});

describe("replace-on table: property paths", () => {
    it("parses and formats paths with indexes, wildcards and quoted keys", () => {
        expect(parsePath("actions[0].forward.targetGroups[*].weight")).to.deep.equal([
            "actions",
            0,
            "forward",
            "targetGroups",
            "*",
            "weight",
        ]);
        expect(parsePath('metadata.annotations["pulumi.com/patchForce"]')).to.deep.equal([
            "metadata",
            "annotations",
            "pulumi.com/patchForce",
        ]);
        expect(formatPath(["metadata", "annotations", "pulumi.com/patchForce"])).to.equal('metadata.annotations["pulumi.com/patchForce"]');
        expect(formatPath(["actions", 0, "forward"])).to.equal("actions[0].forward");
    });

    it("contains a path under it, as the engine reads replaceOnChanges and ignoreChanges", () => {
        expect(pathContains("spec", "spec.targetGroupARN")).to.equal(true);
        expect(pathContains("spec.targetGroupARN", "spec.targetGroupARN")).to.equal(true);
        expect(pathContains("spec.targetGroupARN", "spec")).to.equal(false);
        expect(pathContains("actions[*].forward", "actions[1].forward.targetGroups[0].weight")).to.equal(true);
        expect(pathContains("spec.vpcID", "spec.vpcId")).to.equal(false);
    });

    it("reads every value at a path", () => {
        const v = { a: [{ b: 1 }, { b: 2 }], m: { y: 2, x: 1 } };
        expect(valuesAt(v, "a[*].b")).to.deep.equal([1, 2]);
        expect(valuesAt(v, "m.*")).to.deep.equal([1, 2]);
        expect(valuesAt(v, "a[5].b")).to.deep.equal([undefined]);
        expect(valuesAt(v, "missing.deeper")).to.deep.equal([undefined]);
    });
});

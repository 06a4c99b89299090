import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { FakeCloud } from "../../cli/plan/fake-cloud";
import { runProgram } from "../../cli/plan/mock-runtime";
import { SystemNamespaces } from "../../components/cluster-attachment/manifests";
import { clusterProgram } from "../../stacks/cluster";
import { OidcProviderOwnerTag } from "../../stacks/cluster-lookups";
import { exampleStackConfig } from "../fixtures/stack-config";
import { HarnessOptions, run, Run, runError } from "../harness";
import { BlueAccount, exampleNetworkOutputs, NetworkAccount } from "./cluster-attachment-fixtures";

const T = {
    namespace: "kubernetes:core/v1:Namespace",
    nsPatch: "kubernetes:core/v1:NamespacePatch",
    oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    role: "aws:iam/role:Role",
    release: "kubernetes:helm.sh/v3:Release",
    tgb: "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
};

/** The issuer the fake `aws.eks.getCluster` answers for the existing cluster "green" of account 111111111111. */
const GreenIssuer = "oidc.eks.eu-west-1.amazonaws.com/id/A74204CF7922B2ED75ADFD262B3C5B45";

function stackOptions(stack: "cluster-blue" | "cluster-green", edit?: (c: Record<string, any>) => void, world: Partial<HarnessOptions> = {}): HarnessOptions {
    return {
        accountId: stack === "cluster-blue" ? BlueAccount : NetworkAccount,
        stack,
        config: exampleStackConfig(stack, edit),
        stackOutputs: { network: exampleNetworkOutputs() as unknown as Record<string, unknown> },
        ...world,
    };
}

/** The namespace a Kubernetes object is created in, or undefined for cluster-scoped objects. */
function namespaceOf(r: Run["resources"][number]): string | undefined {
    if (r.type === T.release) {
        return r.inputs.namespace as string;
    }
    const metadata = r.inputs.metadata as { namespace?: string } | undefined;
    return metadata?.namespace;
}

/**
 * Applies the plan to a cluster that has only `existing` namespaces, in the
 * most eager order the engine may choose: every object as soon as its
 * explicit dependencies exist. Returns the objects that would be sent to a
 * namespace that does not exist yet.
 */
function objectsBeforeTheirNamespace(r: Run, existing: readonly string[]): string[] {
    const byUrn = new Map(r.resources.map(x => [x.urn, x]));
    const before = (urn: string, seen = new Set<string>()): Set<string> => {
        for (const dep of byUrn.get(urn)?.options.dependsOn ?? []) {
            if (!seen.has(dep)) {
                seen.add(dep);
                before(dep, seen);
            }
        }
        return seen;
    };
    const failing: string[] = [];
    for (const x of r.resources.filter(y => y.type.startsWith("kubernetes:") && !y.read)) {
        const ns = namespaceOf(x);
        if (ns === undefined || existing.includes(ns)) {
            continue;
        }
        const created = [...before(x.urn)].map(u => byUrn.get(u)).filter(d => d !== undefined)
            .some(d => d.type === T.namespace && !d.read && (d.inputs.metadata as { name: string }).name === ns);
        if (!created) {
            failing.push(`${x.type}::${x.name} in ${ns}`);
        }
    }
    return failing;
}

describe("cluster stack: first pulumi up of the example cluster-blue on the cluster it creates", () => {
    let r: Run;
    before(async () => {
        r = await run(clusterProgram, stackOptions("cluster-blue", undefined, { namespaces: [...SystemNamespaces] }));
    });

    it("plans every namespaced object after its namespace, on a cluster with only the system namespaces", () => {
        expect(r.ofType(T.tgb).map(x => `${x.name} in ${namespaceOf(x)}`)).to.deep.equal(["blue-web in shop", "blue-api in shop"]);
        expect(objectsBeforeTheirNamespace(r, SystemNamespaces)).to.deep.equal([]);
    });

    it("creates the bindings' namespace labelled for readiness gates, kept on destroy, and reads nothing from the new cluster", () => {
        const ns = r.get(T.namespace, "blue-ns-shop");
        expect([ns.read, ns.inputs.metadata, ns.options.retainOnDelete]).to.deep.equal([
            false, { name: "shop", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } }, true,
        ]);
        expect(r.ofType(T.nsPatch)).to.deep.equal([]);
        expect(r.resources.filter(x => x.read).map(x => x.type)).to.deep.equal(["pulumi:pulumi:StackReference"]);
    });

    it("the same plan without the created namespace would send both bindings into a missing namespace", () => {
        const withoutNamespaces = { resources: r.resources.filter(x => x.type !== T.namespace) } as Run;
        expect(objectsBeforeTheirNamespace(withoutNamespaces, SystemNamespaces)).to.deep.equal([`${T.tgb}::blue-web in shop`, `${T.tgb}::blue-api in shop`]);
    });

    it("retainNamespaces false lets the namespaces go with the stack", async () => {
        const r2 = await run(clusterProgram, stackOptions("cluster-blue", c => { c.retainNamespaces = false; }));
        expect(r2.get(T.namespace, "blue-ns-shop").options.retainOnDelete).to.equal(false);
    });

    it("createNamespaces false (namespaces made another way): read from the new cluster, and a missing one is reported", async () => {
        const e = await runError(clusterProgram, stackOptions("cluster-blue", c => { c.createNamespaces = false; }, { namespaces: [...SystemNamespaces] }));
        expect(e.message).to.equal("alb-fleet:cluster.bindings.web.namespace: got \"shop\"; namespace \"shop\" does not exist in cluster \"blue\"; "
            + "create it (kubectl create namespace shop), or set createNamespaces: true to let this stack create it");
        const r = await run(clusterProgram, stackOptions("cluster-blue", c => { c.createNamespaces = false; }, { namespaces: [...SystemNamespaces, "shop"] }));
        const read = r.get(T.namespace, "blue-existing-ns-shop");
        expect([read.read, read.provider]).to.deep.equal([true, r.get("pulumi:providers:kubernetes", "blue-k8s").urn]);
        expect(r.ofType(T.nsPatch).map(x => x.name)).to.deep.equal(["blue-ns-shop"]);
    });

    it("refuses createOidcProvider for a cluster the stack creates (it always gets its provider)", async () => {
        const e = await runError(clusterProgram, stackOptions("cluster-blue", c => { c.eks.createOidcProvider = true; }));
        expect(e.message).to.equal("alb-fleet:cluster.eks.createOidcProvider: got true; unknown key; expected one of create, name, version, subnetIds, "
            + "instanceType, desiredCapacity, minSize, maxSize, endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs");
    });
});

describe("cluster stack: an existing cluster's namespaces", () => {
    it("reads each namespace it needs before installing anything, and labels it in place", async () => {
        const r = await run(clusterProgram, stackOptions("cluster-green", undefined, { namespaces: [...SystemNamespaces, "shop"] }));
        const read = r.get(T.namespace, "green-existing-ns-shop");
        expect([read.read, read.id, read.provider]).to.deep.equal([true, "shop", r.get("pulumi:providers:kubernetes", "green").urn]);
        expect(r.ofType(T.namespace)).to.have.length(1);
        expect(r.get(T.nsPatch, "green-ns-shop").inputs.metadata).to.deep.equal({
            name: "shop", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
        });
        expect(r.get(T.tgb, "green-web").options.dependsOn).to.include(r.get(T.nsPatch, "green-ns-shop").urn);
    });

    it("reports a missing namespace with its name and the fix", async () => {
        const e = await runError(clusterProgram, stackOptions("cluster-green", undefined, { namespaces: [...SystemNamespaces] }));
        expect(e.message).to.equal("alb-fleet:cluster.bindings.web.namespace: got \"shop\"; namespace \"shop\" does not exist in cluster \"green\"; "
            + "create it (kubectl create namespace shop), or set createNamespaces: true to let this stack create it");
    });

    it("registers nothing but the lookups when a namespace is missing: no role, no release, no binding", async () => {
        const registered: string[] = [];
        const options = stackOptions("cluster-green", c => { c.controller = { namespace: "lbc" }; }, { namespaces: [...SystemNamespaces, "shop"] });
        const cloud = new FakeCloud({ accountId: NetworkAccount, region: "eu-west-1", stackOutputs: options.stackOutputs, namespaces: options.namespaces });
        const recording: pulumi.runtime.Mocks = {
            newResource: args => {
                registered.push(`${args.type}::${args.name}`);
                return cloud.newResource(args);
            },
            call: args => cloud.call(args),
        };
        const failed = await runProgram({ project: "alb-fleet", stack: "cluster-green", config: options.config, mocks: recording }, clusterProgram)
            .then(() => undefined, (e: Error) => e.message);
        expect(failed).to.match(/^alb-fleet:cluster\.controller\.namespace: got "lbc"; namespace "lbc" does not exist/);
        expect(registered.sort()).to.deep.equal([
            "kubernetes:core/v1:Namespace::green-existing-ns-lbc",
            "kubernetes:core/v1:Namespace::green-existing-ns-shop",
            "pulumi:providers:kubernetes::green",
            "pulumi:pulumi:Stack::alb-fleet-cluster-green",
            "pulumi:pulumi:StackReference::network",
        ]);
    });

    it("names the controller's namespace when that one is missing", async () => {
        const e = await runError(clusterProgram, stackOptions("cluster-green", c => { c.controller = { namespace: "lbc" }; },
            { namespaces: [...SystemNamespaces, "shop"] }));
        expect(e.message).to.equal("alb-fleet:cluster.controller.namespace: got \"lbc\"; namespace \"lbc\" does not exist in cluster \"green\"; "
            + "create it (kubectl create namespace lbc), or set createNamespaces: true to let this stack create it");
    });

    it("createNamespaces on an existing cluster creates them instead of reading them", async () => {
        const r = await run(clusterProgram, stackOptions("cluster-green", c => { c.createNamespaces = true; }, { namespaces: [...SystemNamespaces] }));
        expect(r.ofType(T.namespace).map(x => [x.name, x.read, x.options.retainOnDelete])).to.deep.equal([["green-ns-shop", false, true]]);
    });
});

describe("cluster stack: an existing cluster's IAM OIDC provider", () => {
    const trustedProvider = (r: Run): string =>
        JSON.parse(r.get(T.role, "green-controller").inputs.assumeRolePolicy as string).Statement[0].Principal.Federated;

    it("found by the cluster's issuer: the role trusts it, nothing is created", async () => {
        const r = await run(clusterProgram, stackOptions("cluster-green", undefined, { oidcProviders: { [GreenIssuer]: {} } }));
        expect(trustedProvider(r)).to.equal(`arn:aws:iam::${NetworkAccount}:oidc-provider/${GreenIssuer}`);
        expect(r.ofType(T.oidc)).to.deep.equal([]);
    });

    it("missing: refused with the issuer and the fix, before any role", async () => {
        const e = await runError(clusterProgram, stackOptions("cluster-green", undefined, { oidcProviders: {} }));
        expect(e.message).to.equal(`alb-fleet:cluster.eks.name: got "green"; account 111111111111 has no IAM OIDC provider for the cluster's issuer `
            + `https://${GreenIssuer}, and IRSA (the controller's role) needs one; create it (eksctl utils associate-iam-oidc-provider `
            + "--cluster green --region eu-west-1 --approve), or set eks.createOidcProvider: true to let this stack create it");
    });

    it("missing with createOidcProvider: created for the issuer, retained on delete, and trusted by the role", async () => {
        const r = await run(clusterProgram, stackOptions("cluster-green", c => { c.eks.createOidcProvider = true; }, { oidcProviders: {} }));
        const oidc = r.get(T.oidc, "green-oidc");
        expect(oidc.inputs).to.deep.equal({
            url: `https://${GreenIssuer}`,
            clientIdLists: ["sts.amazonaws.com"],
            tags: { team: "platform", [OidcProviderOwnerTag]: "alb-fleet/cluster-green" },
        });
        expect(oidc.options.retainOnDelete).to.equal(true);
        expect(trustedProvider(r)).to.equal(`arn:aws:iam::${NetworkAccount}:oidc-provider/${GreenIssuer}`);
    });

    it("created by this stack before (tagged as its own): kept as a resource of the stack", async () => {
        const r = await run(clusterProgram, stackOptions("cluster-green", c => { c.eks.createOidcProvider = true; },
            { oidcProviders: { [GreenIssuer]: { [OidcProviderOwnerTag]: "alb-fleet/cluster-green" } } }));
        expect(r.ofType(T.oidc).map(x => x.name)).to.deep.equal(["green-oidc"]);
    });

    it("someone else's with createOidcProvider: used as it is, not created again", async () => {
        const r = await run(clusterProgram, stackOptions("cluster-green", c => { c.eks.createOidcProvider = true; },
            { oidcProviders: { [GreenIssuer]: { "alpha.eksctl.io/cluster-name": "green" } } }));
        expect(r.ofType(T.oidc)).to.deep.equal([]);
        expect(trustedProvider(r)).to.equal(`arn:aws:iam::${NetworkAccount}:oidc-provider/${GreenIssuer}`);
    });

    it("refuses a createOidcProvider that is not a boolean", async () => {
        const e = await runError(clusterProgram, stackOptions("cluster-green", c => { c.eks.createOidcProvider = "yes"; }));
        expect(e.message).to.equal("alb-fleet:cluster.eks.createOidcProvider: got \"yes\"; expected true or false");
    });
});

import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
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

function stackOptions(
    stack: "cluster-blue" | "cluster-green",
    edit?: (c: Record<string, any>) => void,
    world: Partial<HarnessOptions> = {},
): HarnessOptions {
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
 * explicit dependencies exist. A `Namespace` or a `NamespacePatch` (server-
 * side applied: it creates an absent namespace) makes its namespace exist.
 * Returns the objects that would be sent to a namespace that does not exist yet.
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
        const created = [...before(x.urn)]
            .map(u => byUrn.get(u))
            .filter(d => d !== undefined)
            .some(d => (d.type === T.namespace || d.type === T.nsPatch) && !d.read && (d.inputs.metadata as { name: string }).name === ns);
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

    it("applies the bindings' namespace (created or adopted) labelled for readiness gates, kept on destroy, and reads nothing from the new cluster", () => {
        const ns = r.get(T.nsPatch, "blue-ns-shop");
        expect([ns.read, ns.inputs.metadata, ns.options.retainOnDelete]).to.deep.equal([
            false,
            { name: "shop", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } },
            true,
        ]);
        expect(r.ofType(T.namespace)).to.deep.equal([]);
        expect(r.resources.filter(x => x.read).map(x => x.type)).to.deep.equal(["pulumi:pulumi:StackReference"]);
    });

    it("the same plan without the created namespace would send both bindings into a missing namespace", () => {
        const withoutNamespaces = { resources: r.resources.filter(x => x.type !== T.nsPatch) } as Run;
        expect(objectsBeforeTheirNamespace(withoutNamespaces, SystemNamespaces)).to.deep.equal([
            `${T.tgb}::blue-web in shop`,
            `${T.tgb}::blue-api in shop`,
        ]);
    });

    it("retainNamespaces false lets the namespaces go with the stack (owned Namespace resources)", async () => {
        const r2 = await run(
            clusterProgram,
            stackOptions(
                "cluster-blue",
                c => {
                    c.retainNamespaces = false;
                },
                { namespaces: [...SystemNamespaces] },
            ),
        );
        expect(r2.get(T.namespace, "blue-ns-shop").options.retainOnDelete).to.equal(false);
        expect(objectsBeforeTheirNamespace(r2, SystemNamespaces)).to.deep.equal([]);
    });

    it("createNamespaces false (namespaces made another way): read from the new cluster, and a missing one is reported", async () => {
        const e = await runError(
            clusterProgram,
            stackOptions(
                "cluster-blue",
                c => {
                    c.createNamespaces = false;
                },
                { namespaces: [...SystemNamespaces] },
            ),
        );
        expect(e.message).to.equal(
            'alb-fleet:cluster.bindings.web.namespace: got "shop"; namespace "shop" does not exist in cluster "blue"; ' +
                "create it (kubectl create namespace shop), or set createNamespaces: true to let this stack create it",
        );
        const r = await run(
            clusterProgram,
            stackOptions(
                "cluster-blue",
                c => {
                    c.createNamespaces = false;
                },
                { namespaces: [...SystemNamespaces, "shop"] },
            ),
        );
        const read = r.get(T.namespace, "blue-existing-ns-shop");
        expect([read.read, read.provider]).to.deep.equal([true, r.get("pulumi:providers:kubernetes", "blue-k8s").urn]);
        expect(r.ofType(T.nsPatch).map(x => x.name)).to.deep.equal(["blue-ns-shop"]);
    });

    it("refuses createOidcProvider for a cluster the stack creates (it always gets its provider)", async () => {
        const e = await runError(
            clusterProgram,
            stackOptions("cluster-blue", c => {
                c.eks.createOidcProvider = true;
            }),
        );
        expect(e.message).to.equal(
            "alb-fleet:cluster.eks.createOidcProvider: got true; unknown key; expected one of create, name, version, subnetIds, " +
                "instanceType, desiredCapacity, minSize, maxSize, endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs",
        );
    });
});

describe("cluster stack: an existing cluster's namespaces", () => {
    it("reads each namespace it needs before installing anything, and labels it in place", async () => {
        const r = await run(clusterProgram, stackOptions("cluster-green", undefined, { namespaces: [...SystemNamespaces, "shop"] }));
        const read = r.get(T.namespace, "green-existing-ns-shop");
        expect([read.read, read.id, read.provider]).to.deep.equal([true, "shop", r.get("pulumi:providers:kubernetes", "green").urn]);
        expect(r.ofType(T.namespace)).to.have.length(1);
        expect(r.get(T.nsPatch, "green-ns-shop").inputs.metadata).to.deep.equal({
            name: "shop",
            labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
        });
        expect(r.get(T.tgb, "green-web").options.dependsOn).to.include(r.get(T.nsPatch, "green-ns-shop").urn);
    });

    it("reports a missing namespace with its name and the fix", async () => {
        const e = await runError(clusterProgram, stackOptions("cluster-green", undefined, { namespaces: [...SystemNamespaces] }));
        expect(e.message).to.equal(
            'alb-fleet:cluster.bindings.web.namespace: got "shop"; namespace "shop" does not exist in cluster "green"; ' +
                "create it (kubectl create namespace shop), or set createNamespaces: true to let this stack create it",
        );
    });

    it("registers nothing but the lookups when a namespace is missing: no role, no release, no binding", async () => {
        const registered: string[] = [];
        const options = stackOptions(
            "cluster-green",
            c => {
                c.controller = { namespace: "lbc" };
            },
            { namespaces: [...SystemNamespaces, "shop"] },
        );
        const cloud = new FakeCloud({
            accountId: NetworkAccount,
            region: "eu-west-1",
            stackOutputs: options.stackOutputs,
            namespaces: options.namespaces,
        });
        const recording: pulumi.runtime.Mocks = {
            newResource: args => {
                registered.push(`${args.type}::${args.name}`);
                return cloud.newResource(args);
            },
            call: args => cloud.call(args),
        };
        const failed = await runProgram(
            { project: "alb-fleet", stack: "cluster-green", config: options.config, mocks: recording },
            clusterProgram,
        ).then(
            () => undefined,
            (e: Error) => e.message,
        );
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
        const e = await runError(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.controller = { namespace: "lbc" };
                },
                { namespaces: [...SystemNamespaces, "shop"] },
            ),
        );
        expect(e.message).to.equal(
            'alb-fleet:cluster.controller.namespace: got "lbc"; namespace "lbc" does not exist in cluster "green"; ' +
                "create it (kubectl create namespace lbc), or set createNamespaces: true to let this stack create it",
        );
    });

    it("createNamespaces on an existing cluster applies them instead of reading them", async () => {
        const r = await run(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.createNamespaces = true;
                },
                { namespaces: [...SystemNamespaces] },
            ),
        );
        expect(r.ofType(T.namespace)).to.deep.equal([]);
        expect(r.ofType(T.nsPatch).map(x => [x.name, x.read, x.options.retainOnDelete])).to.deep.equal([["green-ns-shop", false, true]]);
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
        expect(e.message).to.equal(
            `alb-fleet:cluster.eks.name: got "green"; account 111111111111 has no IAM OIDC provider for the cluster's issuer ` +
                `https://${GreenIssuer}, and IRSA (the controller's role) needs one; create it (eksctl utils associate-iam-oidc-provider ` +
                "--cluster green --region eu-west-1 --approve), or set eks.createOidcProvider: true to let this stack create it",
        );
    });

    it("missing with createOidcProvider: created for the issuer, retained on delete, and trusted by the role", async () => {
        const r = await run(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.eks.createOidcProvider = true;
                },
                { oidcProviders: {} },
            ),
        );
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
        const r = await run(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.eks.createOidcProvider = true;
                },
                { oidcProviders: { [GreenIssuer]: { [OidcProviderOwnerTag]: "alb-fleet/cluster-green" } } },
            ),
        );
        expect(r.ofType(T.oidc).map(x => x.name)).to.deep.equal(["green-oidc"]);
    });

    it("someone else's with createOidcProvider: used as it is, not created again", async () => {
        const r = await run(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.eks.createOidcProvider = true;
                },
                { oidcProviders: { [GreenIssuer]: { "alpha.eksctl.io/cluster-name": "green" } } },
            ),
        );
        expect(r.ofType(T.oidc)).to.deep.equal([]);
        expect(trustedProvider(r)).to.equal(`arn:aws:iam::${NetworkAccount}:oidc-provider/${GreenIssuer}`);
    });

    it("refuses a createOidcProvider that is not a boolean", async () => {
        const e = await runError(
            clusterProgram,
            stackOptions("cluster-green", c => {
                c.eks.createOidcProvider = "yes";
            }),
        );
        expect(e.message).to.equal('alb-fleet:cluster.eks.createOidcProvider: got "yes"; expected true or false');
    });
});

describe("cluster stack: first pulumi up where the cluster already has the CRD or the namespaces (pulumi-kubernetes >= 4.29)", () => {
    const CrdName = "targetgroupbindings.elbv2.k8s.aws";
    const crdPatch = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch";
    const plainCrd = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";
    /** What pulumi-kubernetes adds to an AlreadyExists of a create (provider/pkg/await/await.go), as the fake cloud words it. */
    const AlreadyExistsAdvice =
        "The resource already exists in the cluster. To manage fields of an existing resource without owning its lifecycle " +
        "use a Patch resource (e.g. NamespacePatch); to adopt it, `pulumi import`; or set upsertExistingObjects on the provider.";

    /** What a `pulumi destroy` of the run leaves in the cluster: the objects it had, and the namespaces and CRDs the stack retains. */
    function afterDestroy(r: Run, before: { namespaces: string[]; crds: string[] }): { namespaces: string[]; crds: string[] } {
        const retained = (types: string[]) =>
            r.resources
                .filter(x => types.includes(x.type) && !x.read && x.options.retainOnDelete)
                .map(x => (x.inputs.metadata as { name: string }).name);
        return {
            namespaces: [...new Set([...before.namespaces, ...retained([T.namespace, T.nsPatch])])].sort(),
            crds: [...new Set([...before.crds, ...retained([plainCrd, crdPatch])])].sort(),
        };
    }

    /** The first `pulumi up` of a program registering one CRD resource, on a cluster that has the controller's CRD. */
    const crdUp = (create: () => void) => runError(create, { crds: [CrdName], namespaces: [...SystemNamespaces] });

    it("fresh cluster: the CRD and the namespace are created by their patches", async () => {
        const r = await run(clusterProgram, stackOptions("cluster-blue", undefined, { namespaces: [...SystemNamespaces], crds: [] }));
        expect(r.ofType(plainCrd)).to.deep.equal([]);
        expect(r.get(crdPatch, "blue-tgb-crd").options.retainOnDelete).to.equal(true);
        expect(r.ofType(T.nsPatch).map(x => x.name)).to.deep.equal(["blue-ns-shop"]);
    });

    it("an existing cluster whose controller chart was installed before (Helm left the CRD): the forced patch takes it over", async () => {
        const r = await run(
            clusterProgram,
            stackOptions("cluster-green", undefined, { namespaces: [...SystemNamespaces, "shop"], crds: [CrdName] }),
        );
        expect(
            (r.get(crdPatch, "green-tgb-crd").inputs.metadata as { annotations: Record<string, string> }).annotations[
                "pulumi.com/patchForce"
            ],
        ).to.equal("true");
    });

    it("the fake cloud answers as the provider: a plain create of that CRD is AlreadyExists, a patch without patchForce a field conflict", async () => {
        const metadata = { name: CrdName };
        const spec = {
            group: "elbv2.k8s.aws",
            names: { kind: "TargetGroupBinding", plural: "targetgroupbindings" },
            scope: "Namespaced",
            versions: [],
        };
        const plain = await crdUp(() => new k8s.apiextensions.v1.CustomResourceDefinition("tgb-crd", { metadata, spec }));
        expect(plain.message).to.equal(
            `failed to register new resource tgb-crd [${plainCrd}]: resource "${plainCrd}::tgb-crd" was not successfully ` +
                `created by the Kubernetes API server: customresourcedefinitions.apiextensions.k8s.io "${CrdName}" already exists\n\n${AlreadyExistsAdvice}`,
        );
        const unforced = await crdUp(() => new k8s.apiextensions.v1.CustomResourceDefinitionPatch("tgb-crd", { metadata }));
        expect(unforced.message).to.match(
            new RegExp(
                `^failed to register new resource tgb-crd \\[${crdPatch}\\]: resource "${crdPatch}::tgb-crd" was not ` +
                    "successfully created by the Kubernetes API server: server-side apply field conflict detected, see https://www\\.pulumi\\.com/\\S+ for " +
                    'troubleshooting help\nThe resource managed by field manager "pulumi-kubernetes-[0-9a-f]{8}" had an apply conflict: Apply failed with 1 ' +
                    'conflict: conflict with "helm" using apiextensions\\.k8s\\.io/v1: \\.spec\\.versions$',
            ),
        );
    });

    it("re-attach after pulumi destroy: the retained CRD and namespaces are adopted, nothing is created twice", async () => {
        const fresh = { namespaces: [...SystemNamespaces], crds: [] as string[] };
        const first = await run(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.createNamespaces = true;
                },
                fresh,
            ),
        );
        const left = afterDestroy(first, fresh);
        expect(left).to.deep.equal({ namespaces: [...SystemNamespaces, "shop"].sort(), crds: [CrdName] });
        const again = await run(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.createNamespaces = true;
                },
                left,
            ),
        );
        expect(again.inventory()).to.deep.equal(first.inventory());
    });

    it("existing namespaces with createNamespaces: adopted and kept; with retainNamespaces false refused by the API (AlreadyExists), not taken over to be deleted", async () => {
        const world = { namespaces: [...SystemNamespaces, "shop"], crds: [CrdName] };
        const r = await run(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.createNamespaces = true;
                },
                world,
            ),
        );
        expect(r.ofType(T.nsPatch).map(x => [x.name, x.options.retainOnDelete])).to.deep.equal([["green-ns-shop", true]]);
        const e = await runError(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.createNamespaces = true;
                    c.retainNamespaces = false;
                },
                world,
            ),
        );
        expect(e.message).to.equal(
            `failed to register new resource green-ns-shop [${T.namespace}]: resource "${T.namespace}::green-ns-shop" was not ` +
                `successfully created by the Kubernetes API server: namespaces "shop" already exists\n\n${AlreadyExistsAdvice}`,
        );
    });
});

describe("cluster stack: the TargetGroupBinding admission policy needs Kubernetes 1.30", () => {
    const Needs =
        "the TargetGroupBinding admission policy (ValidatingAdmissionPolicy, admissionregistration.k8s.io/v1) needs Kubernetes 1.30 or later";
    const vap = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
    /** The existing cluster "green" as EKS describes it, at another Kubernetes version. */
    const greenAt = (version: string): Partial<HarnessOptions> => ({
        calls: {
            "aws:eks/getCluster:getCluster": inputs => ({
                ...new FakeCloud({
                    accountId: NetworkAccount,
                    region: "eu-west-1",
                    stackOutputs: { network: exampleNetworkOutputs() as any },
                }).call({ token: "aws:eks/getCluster:getCluster", inputs }),
                version,
            }),
        },
    });

    it("a cluster created at 1.29 is refused before anything is registered; at 1.30, or with the policy off, accepted", async () => {
        const e = await runError(
            clusterProgram,
            stackOptions("cluster-blue", c => {
                c.eks.version = "1.29";
            }),
        );
        expect(e.message).to.equal(
            `alb-fleet:cluster.eks.version: got "1.29"; ${Needs}; create the cluster with 1.30 or later, or set bindingAdmissionPolicy: false`,
        );
        const at130 = await run(
            clusterProgram,
            stackOptions("cluster-blue", c => {
                c.eks.version = "1.30";
            }),
        );
        expect(at130.ofType(vap).map(x => x.name)).to.deep.equal(["blue-tgb-policy"]);
        const off = await run(
            clusterProgram,
            stackOptions("cluster-blue", c => {
                c.eks.version = "1.29";
                c.bindingAdmissionPolicy = false;
            }),
        );
        expect(off.ofType(vap)).to.deep.equal([]);
    });

    it("an existing cluster at 1.29 is refused, with its version and the fix; with the policy off it is attached without it", async () => {
        const e = await runError(clusterProgram, stackOptions("cluster-green", undefined, greenAt("1.29")));
        expect(e.message).to.equal(
            `alb-fleet:cluster.eks.name: got "green"; the cluster runs Kubernetes 1.29; ${Needs}; ` +
                "upgrade the cluster, or set bindingAdmissionPolicy: false",
        );
        const off = await run(
            clusterProgram,
            stackOptions(
                "cluster-green",
                c => {
                    c.bindingAdmissionPolicy = false;
                },
                greenAt("1.29"),
            ),
        );
        expect(off.ofType(vap)).to.deep.equal([]);
        const current = await run(clusterProgram, stackOptions("cluster-green", undefined, greenAt("1.30")));
        expect(current.ofType(vap).map(x => x.name)).to.deep.equal(["green-tgb-policy"]);
    });
});

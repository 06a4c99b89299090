import { expect } from "chai";
import * as fc from "fast-check";
import { compareFleet, CompareOptions, Flag } from "../../cli/plan/compare";
import { SnapshotResource, SnapshotStack } from "../../cli/plan/snapshot";

/** Hand-made snapshots: resources of one stack, with URNs the way Pulumi builds them (parent left out). */
class StackBuilder {
    readonly resources: SnapshotResource[] = [];

    constructor(
        readonly stack: string,
        private readonly outputs: Record<string, unknown> = {},
    ) {}

    urn(type: string, name: string): string {
        return `urn:pulumi:${this.stack}::alb-fleet::${type}::${name}`;
    }

    add(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<SnapshotResource> = {}): this {
        this.resources.push({
            urn: this.urn(type, name),
            type,
            name,
            read: false,
            inputs,
            outputs: { ...inputs, ...(extra.outputs ?? {}) },
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            replaceOnChanges: [],
            ignoreChanges: [],
            ...extra,
        });
        return this;
    }

    build(format: SnapshotStack["format"] = "plan"): SnapshotStack {
        return {
            stack: this.stack,
            project: "alb-fleet",
            format,
            file: format === "plan" ? "before.json" : "",
            resources: structuredClone(this.resources),
            outputs: structuredClone(this.outputs),
            assumedValues: [],
        };
    }
}

const T = {
    lb: "aws:lb/loadBalancer:LoadBalancer",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    tg: "aws:lb/targetGroup:TargetGroup",
    rule: "aws:lb/listenerRule:ListenerRule",
    listener: "aws:lb/listener:Listener",
    tgb: "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
    ns: "kubernetes:core/v1:Namespace",
    k8s: "pulumi:providers:kubernetes",
    eks: "eks:index:Cluster",
};

const tgArn = (name: string, suffix = "0123456789abcdef") =>
    `arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/${name}/${suffix}`;
const listenerArn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/shop/0a0a0a0a0a0a0a0a/1b1b1b1b1b1b1b1b";

/** A small network stack: ALB and its SG, a web TG per cluster, a weighted rule, an api rule. */
function network(
    opts: {
        weights?: Record<string, number>;
        webPort?: number;
        sgDescription?: string;
        apiPriority?: number;
        webPriority?: number;
        clusters?: Record<string, Record<string, unknown>>;
        lbName?: string;
        withoutTg?: string;
    } = {},
): StackBuilder {
    const weights = opts.weights ?? { blue: 100, green: 0 };
    const clusters = opts.clusters ?? { blue: { registrarRoleArn: "arn:aws:iam::111111111111:role/r-blue" }, green: {} };
    const b = new StackBuilder("network", { clusters, services: { web: {} } });
    b.add(
        T.sg,
        "alb-sg",
        { name: "shop-alb", description: opts.sgDescription ?? "ALB shop", vpcId: "vpc-0a1b2c3d4e5f60718" },
        { id: "sg-0aaaaaaaaaaaaaaaa" },
    );
    b.add(
        T.lb,
        "alb",
        { name: opts.lbName ?? "shop", securityGroups: ["sg-0aaaaaaaaaaaaaaaa"] },
        {
            id: "arn:lb",
            outputs: {
                arn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop/0a0a0a0a0a0a0a0a",
                dnsName: "shop-1.elb",
            },
        },
    );
    b.add(T.ingress, "alb-in-443", { securityGroupId: "sg-0aaaaaaaaaaaaaaaa", cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 });
    const port = opts.webPort ?? 8080;
    for (const cluster of Object.keys(weights)) {
        if (cluster === opts.withoutTg) {
            continue;
        }
        const name = `${cluster}-web-${port}`;
        b.add(
            T.tg,
            `tg-${cluster}-web`,
            { name, port, protocol: "HTTP", targetType: "ip" },
            { id: tgArn(name), outputs: { arn: tgArn(name) } },
        );
    }
    b.add(
        T.rule,
        "rule-web",
        {
            listenerArn,
            priority: opts.webPriority ?? 10,
            actions: [
                {
                    type: "forward",
                    forward: { targetGroups: Object.entries(weights).map(([c, w]) => ({ arn: tgArn(`${c}-web-${port}`), weight: w })) },
                },
            ],
        },
        { id: "rule-web-0123456789" },
    );
    b.add(
        T.rule,
        "rule-api",
        {
            listenerArn,
            priority: opts.apiPriority ?? 20,
            actions: [{ type: "fixed-response", fixedResponse: { statusCode: "503" } }],
        },
        { id: "rule-api-0123456789" },
    );
    return b;
}

/** A cluster stack: a provider, a namespace, a binding of blue's web target group. */
function cluster(
    opts: { tgName?: string; server?: string; binding?: Partial<SnapshotResource>; nsRetain?: boolean; eksName?: string } = {},
): StackBuilder {
    const b = new StackBuilder("cluster-blue");
    b.add(T.eks, "blue", { name: opts.eksName ?? "blue", vpcId: "vpc-0a1b2c3d4e5f60718" });
    b.add(T.k8s, "blue-k8s", {
        kubeconfig: JSON.stringify({
            "current-context": "c",
            contexts: [{ name: "c", context: { cluster: "k" } }],
            clusters: [{ name: "k", cluster: { server: opts.server ?? "https://ABC.gr7.eks" } }],
        }),
    });
    const provider = b.urn(T.k8s, "blue-k8s");
    b.add(T.ns, "blue-ns-shop", { metadata: { name: "shop" } }, { provider, retainOnDelete: opts.nsRetain ?? true });
    b.add(
        T.tgb,
        "blue-web",
        {
            metadata: { name: "shared-alb-web", namespace: "shop" },
            spec: {
                targetGroupARN: tgArn(opts.tgName ?? "blue-web-8080"),
                targetType: "ip",
                ipAddressType: "ipv4",
                vpcID: "vpc-0a1b2c3d4e5f60718",
            },
        },
        {
            provider,
            replaceOnChanges: ["spec.targetGroupARN", "spec.targetType", "spec.ipAddressType", "spec.vpcID"],
            deleteBeforeReplace: true,
            ...opts.binding,
        },
    );
    return b;
}

const changesOf = (before: SnapshotStack[], after: SnapshotStack[], options: CompareOptions = {}) => {
    const c = compareFleet(before, after, options);
    return c.stacks.map(s => [
        s.stack,
        s.changes.map(
            x =>
                `${x.kind} ${x.name}${x.paths.length > 0 ? ` ${x.paths.join(",")}` : ""}${x.replaceOn.length > 0 ? ` (${x.replaceOn.join(",")})` : ""}`,
        ),
        s.unchanged,
    ]);
};
const flagsOf = (before: SnapshotStack[], after: SnapshotStack[], options: CompareOptions = {}): [string, string][] =>
    compareFleet(before, after, options).flags.map((f: Flag) => [f.kind, f.message]);

describe("compare: what each stack creates, updates, replaces and deletes", () => {
    it("nothing when the plans are the same", () => {
        expect(changesOf([network().build(), cluster().build()], [network().build(), cluster().build()])).to.deep.equal([
            ["network", [], 7],
            ["cluster-blue", [], 4],
        ]);
    });

    it("lists creates, updates, replacements (with why) and deletes, by kind then URN", () => {
        const after = network({ webPort: 9000, weights: { blue: 100, purple: 0 } }).build();
        expect(changesOf([network().build()], [after])).to.deep.equal([
            [
                "network",
                [
                    "create tg-purple-web",
                    "update rule-web actions[0].forward.targetGroups[0].arn,actions[0].forward.targetGroups[1].arn",
                    "replace tg-blue-web name,port (name,port)",
                    "delete tg-green-web",
                ],
                4,
            ],
        ]);
    });

    it("leaves out changes under ignoreChanges", () => {
        const before = network();
        const after = network({ webPriority: 11 });
        after.resources.find(r => r.name === "rule-web")!.ignoreChanges = ["priority"];
        expect(changesOf([before.build()], [after.build()])[0][1]).to.deep.equal([]);
    });

    it("replaces a binding through replaceOnChanges, deleting it first", () => {
        const c = compareFleet([cluster().build()], [cluster({ tgName: "blue-web-9000" }).build()]);
        expect(c.stacks[0].changes.map(x => [x.kind, x.name, x.replaceOn, x.deleteBeforeReplace])).to.deep.equal([
            ["replace", "blue-web", ["spec.targetGroupARN"], true],
        ]);
        expect(c.flags).to.deep.equal([]);
    });

    it("cascades a replacement: a replaced security group's new ID replaces the rules in it and updates the ALB", () => {
        expect(changesOf([network().build()], [network({ sgDescription: "ALB shop, new" }).build()])).to.deep.equal([
            [
                "network",
                [
                    "update alb securityGroups[0]",
                    "replace alb-sg description (description)",
                    "replace alb-in-443 securityGroupId (securityGroupId)",
                ],
                4,
            ],
        ]);
    });

    it("replaces every object of a Kubernetes provider that is replaced (its cluster changed)", () => {
        expect(changesOf([cluster().build()], [cluster({ server: "https://DEF.gr7.eks" }).build()])).to.deep.equal([
            [
                "cluster-blue",
                ["replace blue-ns-shop (provider)", "replace blue-web (provider)", "replace blue-k8s kubeconfig (kubeconfig)"],
                1,
            ],
        ]);
    });

    it("a stack absent from a BEFORE plan is new; absent from BEFORE exports it is not compared", () => {
        const fromPlan = compareFleet([network().build()], [network().build(), cluster().build()]);
        expect(fromPlan.stacks.map(s => [s.stack, s.status, s.changes.length])).to.deep.equal([
            ["network", "compared", 0],
            ["cluster-blue", "new", 4],
        ]);
        const fromExport = compareFleet([network().build("export")], [network().build(), cluster().build()]);
        expect(fromExport.stacks.map(s => [s.stack, s.status, s.changes.length])).to.deep.equal([
            ["network", "compared", 0],
            ["cluster-blue", "not-compared", 0],
        ]);
    });

    it("refuses a stack given twice", () => {
        const a = network().build();
        const b = { ...network().build(), file: "other.json" };
        expect(() => compareFleet([a, b], [network().build()])).to.throw(
            "stack network is in two BEFORE files: before.json and other.json",
        );
    });
});

describe("compare: the changes that hurt are flagged with the reason and the safe way", () => {
    const cases: [string, () => [SnapshotStack[], SnapshotStack[], CompareOptions?], [string, string][]][] = [
        [
            "the ALB replaced",
            () => [[network().build()], [network({ lbName: "shop2" }).build()]],
            [["load-balancer-replaced", "LoadBalancer alb is replaced (name): the pet ALB"]],
        ],
        [
            "the ALB's security group replaced",
            () => [[network().build()], [network({ sgDescription: "x" }).build()]],
            [["alb-security-group-replaced", "SecurityGroup alb-sg is replaced (description): the ALB's security group"]],
        ],
        [
            "a weighted target group replaced",
            () => [[network().build()], [network({ webPort: 9000 }).build()]],
            [
                [
                    "weighted-target-group-replaced",
                    "TargetGroup tg-blue-web is replaced (name, port) while it carries 100% of ListenerRule rule-web's traffic",
                ],
            ],
        ],
        [
            "a weighted target group deleted",
            () => [[network({ weights: { blue: 50, green: 50 } }).build()], [network({ weights: { blue: 100 } }).build()]],
            [
                [
                    "weighted-target-group-deleted",
                    "TargetGroup tg-green-web is deleted while it carries 50% of ListenerRule rule-web's traffic",
                ],
            ],
        ],
        [
            "the only target group of a rule replaced, even at weight 0",
            () => [[network({ weights: { blue: 0 } }).build()], [network({ weights: { blue: 0 }, webPort: 9000 }).build()]],
            [
                [
                    "weighted-target-group-replaced",
                    "TargetGroup tg-blue-web is replaced (name, port) while it is the only target group of ListenerRule rule-web",
                ],
            ],
        ],
        [
            "a weight-0 target group among others replaced: no flag",
            () => [
                [network({ weights: { blue: 100, green: 0 } }).build()],
                [network({ weights: { blue: 100, green: 0 } }).build()].map(s => {
                    s.resources.find(r => r.name === "tg-green-web")!.inputs.protocol = "HTTPS";
                    return s;
                }),
            ],
            [],
        ],
        [
            "a weight-0 target group replaced and weighted in the same step",
            () => [
                [network().build()],
                [network({ weights: { blue: 50, green: 50 } }).build()].map(s => {
                    s.resources.find(r => r.name === "tg-green-web")!.inputs.protocol = "HTTPS";
                    return s;
                }),
            ],
            [
                [
                    "weighted-target-group-replaced",
                    "TargetGroup tg-green-web is replaced (protocol) and gets 50% of ListenerRule rule-web's traffic in the same step",
                ],
            ],
        ],
        [
            "a new target group given weight in a serving rule",
            () => [[network({ weights: { blue: 100 } }).build()], [network({ weights: { blue: 100, purple: 10 } }).build()]],
            [["new-target-group-weighted", "TargetGroup tg-purple-web is created with 9.1% of ListenerRule rule-web's traffic"]],
        ],
        [
            "a binding's target group ARN changed in place (no replaceOnChanges)",
            () => [
                [cluster({ binding: { replaceOnChanges: [], deleteBeforeReplace: false } }).build()],
                [cluster({ tgName: "blue-web-9000", binding: { replaceOnChanges: [], deleteBeforeReplace: false } }).build()],
            ],
            [["binding-immutable-field-updated", "TargetGroupBinding blue-web changes spec.targetGroupARN in place"]],
        ],
        [
            "a binding replaced by creating the new one first",
            () => [
                [cluster({ binding: { deleteBeforeReplace: false } }).build()],
                [cluster({ tgName: "blue-web-9000", binding: { deleteBeforeReplace: false } }).build()],
            ],
            [
                [
                    "binding-replaced-create-first",
                    "TargetGroupBinding blue-web is replaced (spec.targetGroupARN) by creating the new object before deleting the old",
                ],
            ],
        ],
        [
            "a cross-account cluster removed without retiring",
            () => [[network().build()], [network({ clusters: { green: {} } }).build()]],
            [["cluster-removed-without-retiring", 'cluster "blue" leaves the network stack without having been retiring']],
        ],
        [
            "a cluster removed after retiring: no flag",
            () => [
                [network({ clusters: { blue: { retiring: true }, green: {} } }).build()],
                [network({ clusters: { green: {} } }).build()],
            ],
            [],
        ],
        [
            "a rule's priority changed",
            () => [[network().build()], [network({ apiPriority: 30 }).build()]],
            [["rule-priority-changed", "ListenerRule rule-api moves from priority 20 to 30"]],
        ],
        [
            "two rules swapping priorities (on a listener the stack does not own, named by its ARN)",
            () => [[network().build()], [network({ apiPriority: 10, webPriority: 20 }).build()]],
            [
                // Neither rule has conditions: the fixed 503 of rule-api now answers every request first.
                [
                    "request-destination-changed",
                    "request x / moves from (ListenerRule rule-web, priority 10: tg-blue-web) to a fixed 503 response (ListenerRule rule-api, priority 10)",
                ],
                [
                    "rule-priority-changed",
                    "ListenerRule rule-api moves from priority 20 to 10 (taking the priority of ListenerRule rule-web, which moves too)",
                ],
                [
                    "rule-priority-in-use",
                    `ListenerRule rule-api moves from priority 20 to 10 on listener ${listenerArn}, which ListenerRule rule-web still holds until it moves to priority 20`,
                ],
                [
                    "rule-priority-changed",
                    "ListenerRule rule-web moves from priority 10 to 20 (taking the priority of ListenerRule rule-api, which moves too)",
                ],
                [
                    "rule-priority-in-use",
                    `ListenerRule rule-web moves from priority 10 to 20 on listener ${listenerArn}, which ListenerRule rule-api still holds until it moves to priority 10`,
                ],
            ],
        ],
        [
            "weights moving more than --max-shift",
            () => [[network().build()], [network({ weights: { blue: 50, green: 50 } }).build()], { maxShift: 25 }],
            [
                [
                    "weight-shift",
                    "ListenerRule rule-web moves more than 25 points of traffic at once: tg-blue-web 100% -> 50%, tg-green-web 0% -> 50%",
                ],
            ],
        ],
        [
            "weights moving within --max-shift: no flag",
            () => [[network().build()], [network({ weights: { blue: 80, green: 20 } }).build()], { maxShift: 25 }],
            [],
        ],
        [
            "weights moving without --max-shift: no flag",
            () => [[network().build()], [network({ weights: { blue: 0, green: 100 } }).build()]],
            [],
        ],
        [
            "a created EKS cluster replaced",
            () => [[cluster().build()], [cluster({ eksName: "blue2" }).build()]],
            [["eks-cluster-replaced", "Cluster blue is replaced (name): the EKS cluster"]],
        ],
        [
            "a namespace deleted that is not kept",
            () => [
                [cluster({ nsRetain: false }).build()],
                [cluster().build()].map(s => {
                    s.resources = s.resources.filter(r => r.type !== T.ns);
                    return s;
                }),
            ],
            [["namespace-deleted", "Namespace blue-ns-shop is deleted: a namespace"]],
        ],
        [
            "a kept namespace deleted: no flag",
            () => [
                [cluster({ nsRetain: true }).build()],
                [cluster().build()].map(s => {
                    s.resources = s.resources.filter(r => r.type !== T.ns);
                    return s;
                }),
            ],
            [],
        ],
        [
            "a change of a type without a replace-on rule",
            () => {
                const before = new StackBuilder("network").add("aws:s3/bucket:Bucket", "logs", { bucket: "a" });
                const after = new StackBuilder("network").add("aws:s3/bucket:Bucket", "logs", { bucket: "b" });
                return [[before.build()], [after.build()]];
            },
            [["no-replace-rule", "Bucket logs (aws:s3/bucket:Bucket) changes bucket and its type has no replace-on rule"]],
        ],
    ];
    for (const [what, make, expected] of cases) {
        it(`${what}${expected.length > 0 ? `: ${expected.map(e => e[0]).join(", ")}` : ""}`, () => {
            const [before, after, options] = make();
            expect(flagsOf(before, after, options)).to.deep.equal(expected);
        });
    }

    it("says why and what to do instead, e.g. for a cluster removed without retiring", () => {
        const [flag] = compareFleet([network().build()], [network({ clusters: { green: {} } }).build()]).flags;
        expect(flag.reason).to.equal(
            "its target groups and registrar role are deleted while its cluster stack's TargetGroupBindings still exist: " +
                "the controller can no longer deregister targets (AssumeRole is denied), the bindings' finalizers stay, and the cluster stack's destroy hangs",
        );
        expect(flag.safe).to.equal(
            "retire it in two steps: set clusters.blue.retiring: true (with weight 0) and pulumi up -s network, which keeps its " +
                "target groups and registrar role, then pulumi destroy -s cluster-blue (its bindings deregister their targets while both exist); " +
                "only then remove the key and pulumi up -s network",
        );
        const [sameAccount] = compareFleet([network().build()], [network({ clusters: { blue: {} } }).build()]).flags;
        expect(sameAccount.reason).to.equal(
            "its target groups are deleted while its cluster stack's TargetGroupBindings still point at them",
        );
    });
});

/** A network stack of two listeners and the given rules: name -> [listener, priority]. */
function ruleSet(rules: Record<string, [string, number]>, extra: Record<string, Partial<SnapshotResource>> = {}): SnapshotStack {
    const b = new StackBuilder("network");
    const arn = (l: string) => `arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/shop/0a0a0a0a0a0a0a0a/${l}0000000000000`;
    for (const l of ["https", "http"]) {
        b.add(T.listener, l, { port: l === "https" ? 443 : 80 }, { id: arn(l), outputs: { arn: arn(l) } });
    }
    for (const [name, [listener, priority]] of Object.entries(rules)) {
        b.add(
            T.rule,
            name,
            { listenerArn: arn(listener), priority, actions: [{ type: "fixed-response", fixedResponse: { statusCode: "404" } }] },
            { id: `rule-${name}`, ...extra[name] },
        );
    }
    return b.build();
}

describe("compare: a rule created or moved at a priority that a rule deleted or moved in the same update still holds", () => {
    const inUse = (before: SnapshotStack, after: SnapshotStack) =>
        flagsOf([before], [after]).filter(([kind]) => kind === "rule-priority-in-use");
    const cases: [string, SnapshotStack, SnapshotStack, [string, string][]][] = [
        [
            "a rule created at the priority of a deleted one",
            ruleSet({ green: ["https", 5] }),
            ruleSet({ red: ["https", 5] }),
            [
                [
                    "rule-priority-in-use",
                    "ListenerRule red is created at priority 5 on Listener https, which ListenerRule green still holds until it is deleted at the end of the update",
                ],
            ],
        ],
        [
            "a rule moved onto the priority of a deleted one",
            ruleSet({ a: ["https", 5], b: ["https", 6] }),
            ruleSet({ b: ["https", 5] }),
            [
                ["rule-priority-changed", "ListenerRule b moves from priority 6 to 5"],
                [
                    "rule-priority-in-use",
                    "ListenerRule b moves from priority 6 to 5 on Listener https, which ListenerRule a still holds until it is deleted at the end of the update",
                ],
            ],
        ],
        [
            "two rules swapping priorities",
            ruleSet({ a: ["https", 5], b: ["https", 6] }),
            ruleSet({ a: ["https", 6], b: ["https", 5] }),
            [
                [
                    "rule-priority-changed",
                    "ListenerRule a moves from priority 5 to 6 (taking the priority of ListenerRule b, which moves too)",
                ],
                [
                    "rule-priority-in-use",
                    "ListenerRule a moves from priority 5 to 6 on Listener https, which ListenerRule b still holds until it moves to priority 5",
                ],
                [
                    "rule-priority-changed",
                    "ListenerRule b moves from priority 6 to 5 (taking the priority of ListenerRule a, which moves too)",
                ],
                [
                    "rule-priority-in-use",
                    "ListenerRule b moves from priority 6 to 5 on Listener https, which ListenerRule a still holds until it moves to priority 6",
                ],
            ],
        ],
        [
            "a rule created at a priority freed in an earlier update: no flag",
            ruleSet({ a: ["https", 4] }),
            ruleSet({ a: ["https", 4], red: ["https", 5] }),
            [],
        ],
        [
            "a rule created at the priority a deleted rule holds on another listener: no flag",
            ruleSet({ green: ["http", 5] }),
            ruleSet({ red: ["https", 5] }),
            [],
        ],
        [
            "a rule moved to a free priority while another is deleted: no flag",
            ruleSet({ a: ["https", 5], b: ["https", 6] }),
            ruleSet({ b: ["https", 7] }),
            [["rule-priority-changed", "ListenerRule b moves from priority 6 to 7"]],
        ],
        [
            "a rule replaced (its provider changes) by creating the new one first",
            ruleSet({ a: ["https", 5] }, { a: { provider: "aws-old" } }),
            ruleSet({ a: ["https", 5] }, { a: { provider: "aws-new" } }),
            [
                [
                    "rule-priority-in-use",
                    "ListenerRule a is replaced by a rule created at priority 5 on Listener https, which its old rule still holds until it is deleted at the end of the update",
                ],
            ],
        ],
        [
            "a rule replaced by deleting it first: no flag",
            ruleSet({ a: ["https", 5] }, { a: { provider: "aws-old", deleteBeforeReplace: true } }),
            ruleSet({ a: ["https", 5] }, { a: { provider: "aws-new", deleteBeforeReplace: true } }),
            [],
        ],
    ];
    for (const [what, before, after, expected] of cases) {
        it(what, () => {
            expect(flagsOf([before], [after]).filter(([kind]) => kind.startsWith("rule-priority"))).to.deep.equal(expected);
        });
    }

    it("says why, and the two-step way for a deleted and for a moved holder", () => {
        const [deleted] = compareFleet([ruleSet({ green: ["https", 5] })], [ruleSet({ red: ["https", 5] })]).flags;
        expect([deleted.urn, deleted.reason, deleted.safe]).to.deep.equal([
            "urn:pulumi:network::alb-fleet::aws:lb/listenerRule:ListenerRule::red",
            "the engine creates and updates rules as the program registers them and deletes removed resources only at the end of the update, " +
                "and SetRulePriorities moves one rule at a time: CreateRule or SetRulePriorities at a priority another rule of the listener holds " +
                "fails with PriorityInUse, and every re-run of pulumi up repeats it",
            "take two updates: first the one that deletes ListenerRule green (e.g. retire or remove its cluster or service on its own), " +
                "then create ListenerRule red in a later update (e.g. add the new cluster or service then)",
        ]);
        const moved = compareFleet([ruleSet({ a: ["https", 5] })], [ruleSet({ a: ["https", 6], red: ["https", 5] })]).flags;
        expect(moved.filter(f => f.kind === "rule-priority-in-use").map(f => [f.message, f.safe])).to.deep.equal([
            [
                "ListenerRule red is created at priority 5 on Listener https, which ListenerRule a still holds until it moves to priority 6",
                "take two updates: first move ListenerRule a to a free priority, then create ListenerRule red in a later update; for a swap, go through a free priority first",
            ],
        ]);
    });

    it("flags exactly the created or moved rules whose new priority a deleted or moved rule holds in BEFORE on the same listener", () => {
        const listener = fc.constantFrom("https", "http");
        const rules = (prefix: string) =>
            fc
                .uniqueArray(fc.tuple(listener, fc.integer({ min: 1, max: 6 })), { maxLength: 8, selector: ([l, p]) => `${l}/${p}` })
                .map(list => list.map(([l, p], i) => ({ name: `${prefix}${i}`, listener: l, priority: p })));
        // BEFORE's rules, AFTER's, and which of BEFORE's rules AFTER keeps (the others are deleted, their names free for AFTER's).
        const sides = fc.tuple(rules("r"), rules("r"), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }));
        fc.assert(
            fc.property(sides, ([was, is, keep]) => {
                // A kept rule stays on its listener: AFTER's rule of the same name takes the listener of BEFORE's only when they match.
                const after = is.filter(
                    r => !was.some(w => w.name === r.name && (w.listener !== r.listener || !keep[Number(r.name.slice(1))])),
                );
                const before = Object.fromEntries(was.map(r => [r.name, [r.listener, r.priority] as [string, number]]));
                const flagged = inUse(
                    ruleSet(before),
                    ruleSet(Object.fromEntries(after.map(r => [r.name, [r.listener, r.priority] as [string, number]]))),
                )
                    .map(([, message]) => message.split(" ")[1])
                    .sort();
                const oldOf = new Map(was.map(r => [r.name, r]));
                const newOf = new Map(after.map(r => [r.name, r]));
                const freed = was.filter(r => newOf.get(r.name)?.priority !== r.priority);
                const taking = after.filter(r => oldOf.get(r.name)?.priority !== r.priority);
                const expected = taking
                    .flatMap(t =>
                        freed.filter(h => h.name !== t.name && h.listener === t.listener && h.priority === t.priority).map(() => t.name),
                    )
                    .sort();
                expect(flagged).to.deep.equal(expected);
            }),
            { numRuns: 300 },
        );
    });
});

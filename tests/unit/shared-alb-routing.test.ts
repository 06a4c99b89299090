import { expect } from "chai";
import fc from "fast-check";
import { checkListener, forwardedTo, receivers, routeRequest } from "../../components/shared-alb/evaluate";
import { listenerPlan, previewHeaderValue } from "../../components/shared-alb/rules";
import { validateSharedAlbArgs } from "../../components/shared-alb/validate";
import {
    ExpectedRefusal,
    GeneratedFleet,
    UnmatchedHost,
    UnmatchedPath,
    allocationOf,
    exampleRequests,
    fleets,
    ruleAt,
    tgArn,
    toListener,
    tryPlan,
} from "./routing-fixtures";

/** The example fleet with a checkout service that shares web's host, and green running web only (an internal ALB, whose preview routes may be open). */
function shopFleet(preview: boolean | Record<string, unknown>) {
    return validateSharedAlbArgs({
        accountId: "111111111111",
        region: "eu-west-1",
        vpcId: "vpc-0a1b2c3d4e5f60718",
        vpcCidrs: ["10.0.0.0/16"],
        subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        clusters: { blue: { accountId: "111111111111", weight: 100 }, green: { accountId: "111111111111", weight: 0, services: ["web"] } },
        services: {
            web: { port: 8080, hosts: ["shop.example.com"] },
            checkout: { port: 8080, hosts: ["shop.example.com"], paths: ["/checkout/*"] },
            api: { port: 9000, paths: ["/api/*"] },
        },
        loadBalancer: { internal: true },
        ...(preview ? { preview: preview === true ? {} : preview } : {}),
    });
}

describe("routing of planned rules (evaluated as the ALB evaluates them)", () => {
    it("sends each request to the most specific service, whatever the names", () => {
        const plan = listenerPlan(shopFleet(false));
        const to = (host: string, path: string) => ruleAt(plan, routeRequest(toListener(plan), { host, path }).rule)?.service;
        expect(to("shop.example.com", "/checkout/cart")).to.equal("checkout");
        expect(to("shop.example.com", "/api/orders")).to.equal("api");
        expect(to("shop.example.com", "/")).to.equal("web");
        expect(to("other.example.com", "/api/orders")).to.equal("api");
        expect(to("other.example.com", "/")).to.equal(undefined);
    });

    it("keeps weight-0 clusters in the forward action (health-checked) but sends them nothing", () => {
        const plan = listenerPlan(shopFleet(false));
        const a = routeRequest(toListener(plan), { host: "shop.example.com", path: "/" });
        expect(forwardedTo(a)).to.deep.equal({ [tgArn("blue", "web")]: 100, [tgArn("green", "web")]: 0 });
        expect(receivers(a)).to.deep.equal([tgArn("blue", "web")]);
    });

    it("routes the preview header to the named cluster only where normal routing picks a service that cluster runs", () => {
        const plan = listenerPlan(shopFleet(true));
        const green = (path: string) =>
            receivers(routeRequest(toListener(plan), { host: "shop.example.com", path, headers: { "x-shared-alb-cluster": "green" } }));
        expect(green("/")).to.deep.equal([tgArn("green", "web")]);
        // green does not run checkout: the request goes where normal routing sends it (checkout on blue), not to green's web.
        expect(green("/checkout/cart")).to.deep.equal([tgArn("blue", "checkout")]);
        expect(green("/api/orders")).to.deep.equal([tgArn("blue", "api")]);
    });

    it("routes the preview header only from the preview source CIDRs", () => {
        const plan = listenerPlan(shopFleet({ sourceCidrs: ["203.0.113.0/24", "198.51.100.7/32"] }));
        const from = (sourceIp: string | undefined) =>
            receivers(
                routeRequest(toListener(plan), {
                    host: "shop.example.com",
                    path: "/",
                    headers: { "x-shared-alb-cluster": "green" },
                    ...(sourceIp ? { sourceIp } : {}),
                }),
            );
        expect(from("203.0.113.77")).to.deep.equal([tgArn("green", "web")]);
        expect(from("198.51.100.7")).to.deep.equal([tgArn("green", "web")]);
        // From anywhere else the header changes nothing: blue answers, as for everyone.
        expect(from("198.51.100.8")).to.deep.equal([tgArn("blue", "web")]);
        expect(from("192.0.2.1")).to.deep.equal([tgArn("blue", "web")]);
        expect(from(undefined)).to.deep.equal([tgArn("blue", "web")]);
    });

    it("routes the preview header only with the token after the cluster key (compared as the ALB does, case-insensitively)", () => {
        const token = "9f8e7d6c5b4a39281706f5e4";
        const plan = listenerPlan(shopFleet({ token }));
        const listener = toListener(plan, h => previewHeaderValue(h.cluster, token));
        const sending = (value: string) =>
            receivers(routeRequest(listener, { host: "shop.example.com", path: "/", headers: { "x-shared-alb-cluster": value } }));
        expect(sending(`green.${token}`)).to.deep.equal([tgArn("green", "web")]);
        expect(sending(`GREEN.${token.toUpperCase()}`)).to.deep.equal([tgArn("green", "web")]);
        for (const guess of ["green", "green.", `green.${token.slice(1)}`, `blue.${token}x`, token]) {
            expect(sending(guess), guess).to.deep.equal([tgArn("blue", "web")]);
        }
    });

    it("would misroute with every preview rule ahead of every service rule (the layout it avoids)", () => {
        const plan = listenerPlan(shopFleet(true));
        // Same rules and relative orders, but the preview rules moved to 1, 2, ... ahead of every service rule.
        const previewsFirst = toListener({
            ...plan,
            rules: plan.rules.map((r, i) => (r.kind === "service" ? r : { ...r, priority: 1 + i })),
        });
        const a = routeRequest(previewsFirst, {
            host: "shop.example.com",
            path: "/checkout/cart",
            headers: { "x-shared-alb-cluster": "green" },
        });
        expect(receivers(a)).to.deep.equal([tgArn("green", "web")]);
    });
});

describe("routing when clusters are at weight 0 or retiring", () => {
    const fleet = (clusters: Record<string, unknown>, preview: boolean) =>
        validateSharedAlbArgs({
            accountId: "111111111111",
            region: "eu-west-1",
            vpcId: "vpc-0a1b2c3d4e5f60718",
            vpcCidrs: ["10.0.0.0/16"],
            subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            // Routing only: the HTTP listener carries the rules.
            loadBalancer: { allowPlainHttp: true },
            clusters,
            services: { web: { port: 8080, hosts: ["shop.example.com"] } },
            ...(preview ? { preview: { sourceCidrs: ["203.0.113.0/24"] } } : {}),
        });
    // From the preview source network: the preview rules see the request.
    const request = (headers: Record<string, string> = {}) => ({ host: "shop.example.com", path: "/", headers, sourceIp: "203.0.113.10" });

    it("a fresh fleet at weight 0 with preview routes: no rule of its own (requests fall through), each cluster's target group is attached through its preview rule", () => {
        const plan = listenerPlan(fleet({ blue: { accountId: "111111111111" }, green: { accountId: "111111111111" } }, true));
        const listener = toListener(plan);
        expect(plan.rules.map(r => `${r.kind} ${r.cluster}`)).to.deep.equal(["preview blue", "preview green"]);
        expect(routeRequest(listener, request())).to.deep.include({ rule: "default" });
        expect(routeRequest(listener, request()).action).to.deep.equal({ type: "fixed-response", fixedResponse: { statusCode: "404" } });
        expect(receivers(routeRequest(listener, request({ "x-shared-alb-cluster": "green" })))).to.deep.equal([tgArn("green", "web")]);
        expect(receivers(routeRequest(listener, request({ "x-shared-alb-cluster": "blue" })))).to.deep.equal([tgArn("blue", "web")]);
    });

    it("the same fleet without preview routes is refused, naming the service, its clusters and both fixes", () => {
        expect(() => fleet({ blue: { accountId: "111111111111" }, green: { accountId: "111111111111" } }, false)).to.throw(
            'services.web.weights: got {"blue":0,"green":0}; every cluster that runs web has weight 0 and preview routes are off: it has no rule ' +
                "of its own while no cluster gives it weight, so its target groups (blue, green) are in no forward action, not health-checked, and pods behind " +
                "readiness gates never become Ready; give one cluster a weight above 0 (before any cluster has healthy targets the ALB answers 503 either way), " +
                "or turn preview routes on (preview, with sourceCidrs or a token on an internet-facing ALB): each cluster's preview rule keeps its target group attached",
        );
    });

    it("a retiring cluster stays in the forward at weight 0 and loses its preview rule: its header goes where normal routing sends it", () => {
        const plan = listenerPlan(
            fleet({ blue: { accountId: "111111111111", retiring: true }, green: { accountId: "111111111111", weight: 100 } }, true),
        );
        const listener = toListener(plan);
        const normal = routeRequest(listener, request());
        expect(forwardedTo(normal)).to.deep.equal({ [tgArn("blue", "web")]: 0, [tgArn("green", "web")]: 100 });
        expect(routeRequest(listener, request({ "x-shared-alb-cluster": "blue" }))).to.deep.equal(normal);
        expect(plan.rules.map(r => `${r.kind} ${r.cluster ?? ""}`)).to.deep.equal(["preview green", "service "]);
    });

    it("a fleet whose only clusters of a service are retiring is not refused (they are leaving), and attaches them nowhere", () => {
        const plan = listenerPlan(fleet({ blue: { accountId: "111111111111", retiring: true } }, false));
        expect(routeRequest(toListener(plan), request())).to.deep.include({ rule: "default" });
        expect(plan.rules).to.deep.equal([]);
    });
});

describe("routing properties over generated service sets", () => {
    /** Runs `check` on every fleet the validation accepts; refused fleets must be refused for a reason the generator can cause. */
    const accepted = (check: (f: GeneratedFleet, planned: Exclude<ReturnType<typeof tryPlan>, { refused: string[] }>) => void) =>
        fc.property(fleets, f => {
            const planned = tryPlan(f);
            if ("refused" in planned) {
                for (const m of planned.refused) {
                    expect(m).to.match(ExpectedRefusal);
                }
                return;
            }
            check(f, planned);
        });

    it("plans rules the ALB API accepts (priorities, condition values, wildcards, forward sizes)", () => {
        fc.assert(
            accepted((_, { plan }) => checkListener(toListener(plan))),
            { numRuns: 300 },
        );
    });

    it("sends every service's own example requests to its rule, and the header to the named cluster when it runs the service", () => {
        fc.assert(
            accepted((f, { model, plan }) => {
                const listener = toListener(plan);
                for (const s of Object.values(model.services).filter(x => x.hosts.length + x.paths.length > 0)) {
                    const weighted = Object.values(s.weights).some(w => w > 0);
                    for (const request of exampleRequests(s.hosts, s.paths)) {
                        const normal = routeRequest(listener, request);
                        if (!weighted) {
                            // A weightless service captures nothing: no rule of its own answers.
                            expect(ruleAt(plan, normal.rule)?.service, `${JSON.stringify(request)} for weightless ${s.name}`).to.not.equal(
                                s.name,
                            );
                        } else {
                            expect(ruleAt(plan, normal.rule), `${JSON.stringify(request)} for ${s.name}`).to.deep.include({
                                kind: "service",
                                service: s.name,
                            });
                            // Every cluster that runs it is attached; only those with weight receive.
                            expect(forwardedTo(normal)).to.deep.equal(
                                Object.fromEntries(s.clusters.map(c => [tgArn(c, s.name), s.weights[c]])),
                            );
                            expect(receivers(normal)).to.deep.equal(
                                s.clusters
                                    .filter(c => s.weights[c] > 0)
                                    .map(c => tgArn(c, s.name))
                                    .sort(),
                            );
                        }
                        // Where normal routing sends the request: this service's rule, another's (a weightless one falls through), or the default.
                        const normalService = normal.rule === "default" ? model.defaultService : ruleAt(plan, normal.rule)?.service;
                        const previews = (cluster: string, service: string | undefined) =>
                            f.preview &&
                            service !== undefined &&
                            model.services[service].clusters.includes(cluster) &&
                            !model.clusters[cluster].retiring;
                        const weightless = (name: string) => Object.values(model.services[name].weights).every(w => w === 0);
                        for (const cluster of Object.keys(f.clusters)) {
                            const previewed = routeRequest(listener, { ...request, headers: { "x-shared-alb-cluster": cluster } });
                            const taker = ruleAt(plan, previewed.rule);
                            const at = `${cluster}: ${s.name} ${JSON.stringify(request)}`;
                            if (taker?.kind === "preview" || taker?.kind === "default-preview") {
                                // The header reaches the named cluster alone, through a preview rule no later than the normal answer.
                                expect(taker.cluster, at).to.equal(cluster);
                                expect(receivers(previewed), at).to.deep.equal([tgArn(cluster, taker.service)]);
                                expect(normal.rule === "default" || (previewed.rule as number) < (normal.rule as number), at).to.equal(
                                    true,
                                );
                                // Where the cluster runs the service normal routing picks, its preview rule takes it, unless a more specific weightless one does first.
                                const expected = previews(cluster, s.name)
                                    ? s.name
                                    : previews(cluster, normalService)
                                      ? normalService
                                      : undefined;
                                expect(taker.service === expected || weightless(taker.service), at).to.equal(true);
                            } else {
                                expect(previews(cluster, s.name) || previews(cluster, normalService), at).to.equal(false);
                                expect(previewed).to.deep.equal(normal);
                            }
                        }
                    }
                }
            }),
            { numRuns: 300 },
        );
    });

    it("sends requests no rule matches to the default service, and with the header to the named cluster", () => {
        fc.assert(
            accepted((f, { model, plan }) => {
                const listener = toListener(plan);
                const request = { host: UnmatchedHost, path: UnmatchedPath };
                const normal = routeRequest(listener, request);
                expect(normal.rule).to.equal("default");
                const fallback = model.defaultService !== undefined ? model.services[model.defaultService] : undefined;
                for (const cluster of Object.keys(f.clusters)) {
                    const previewed = routeRequest(listener, { ...request, headers: { "X-Shared-ALB-Cluster": cluster } });
                    if (f.preview && fallback !== undefined && fallback.clusters.includes(cluster) && !model.clusters[cluster].retiring) {
                        expect(ruleAt(plan, previewed.rule)).to.deep.include({ kind: "default-preview", cluster });
                        expect(receivers(previewed)).to.deep.equal([tgArn(cluster, fallback.name)]);
                    } else {
                        expect(previewed).to.deep.equal(normal);
                    }
                }
            }),
            { numRuns: 300 },
        );
    });

    it("attaches every target group of a cluster that stays to some forward action (health-checked), and a retiring one's while its service forwards", () => {
        fc.assert(
            accepted((_, { model, plan }) => {
                const listener = toListener(plan);
                const attached = new Set(
                    [...listener.rules.flatMap(r => r.actions), ...listener.defaultActions].flatMap(
                        a => a.forward?.targetGroups.map(t => t.arn) ?? [],
                    ),
                );
                for (const s of Object.values(model.services)) {
                    const forwards = s.clusters.some(c => s.weights[c] > 0);
                    for (const c of s.clusters) {
                        const expected = model.clusters[c].retiring ? forwards : true;
                        expect(attached.has(tgArn(c, s.name)), `${c}/${s.name}`).to.equal(expected);
                    }
                }
            }),
            { numRuns: 300 },
        );
    });

    it("refuses a fleet exactly when a service's target groups would be attached nowhere (every weight 0, preview routes off, a cluster that stays)", () => {
        fc.assert(
            fc.property(fleets, f => {
                const names = Object.keys(f.services);
                const runs = (c: string) => f.clusters[c].services ?? names;
                const unattached = names.filter(
                    n =>
                        !f.preview &&
                        Object.keys(f.clusters).some(c => runs(c).includes(n) && !f.clusters[c].retiring) &&
                        Object.keys(f.clusters).every(c => !runs(c).includes(n) || f.clusters[c].weight === 0),
                );
                const planned = tryPlan(f);
                const refusedFor =
                    "refused" in planned
                        ? planned.refused.filter(m => m.includes("has weight 0 and preview routes are off")).map(m => m.split(".")[1])
                        : [];
                if ("refused" in planned && refusedFor.length === 0) {
                    return; // refused for a single value (hosts, paths, wildcards) before rules and attachment are checked
                }
                expect(refusedFor.sort()).to.deep.equal(unattached.sort());
            }),
            { numRuns: 300 },
        );
    });

    it("never renumbers a rule when another service is added or removed", () => {
        fc.assert(
            fc.property(fleets, fc.nat(5), (f, pick) => {
                const names = Object.keys(f.services);
                fc.pre(names.length > 1);
                const removed = names[pick % names.length];
                const before = tryPlan(f);
                fc.pre(!("refused" in before));
                const deployed = "model" in before ? allocationOf(before.model) : undefined;
                const services = Object.fromEntries(Object.entries(f.services).filter(([n]) => n !== removed));
                const clusters = Object.fromEntries(
                    Object.entries(f.clusters).map(([k, c]) => [
                        k,
                        c.services ? { ...c, services: c.services.filter(s => s !== removed) } : c,
                    ]),
                );
                fc.pre(Object.values(clusters).every(c => c.services === undefined || c.services.length > 0));
                const after = tryPlan(
                    { ...f, services, clusters, defaultService: f.defaultService === removed ? undefined : f.defaultService },
                    deployed,
                );
                expect("refused" in after, JSON.stringify(after)).to.equal(false);
                const priorities = (p: ReturnType<typeof tryPlan>) =>
                    Object.fromEntries(
                        ("plan" in p ? p.plan.rules : []).map(r => [`${r.kind}/${r.service}/${r.cluster ?? ""}`, r.priority]),
                    );
                const kept = priorities(before);
                const now = priorities(after);
                for (const [k, priority] of Object.entries(now)) {
                    expect(priority, k).to.equal(kept[k]);
                }
                expect(
                    Object.keys(kept)
                        .filter(k => !(k in now))
                        .every(k => k.split("/")[1] === removed),
                ).to.equal(true);
            }),
            { numRuns: 300 },
        );
    });

    it("never renumbers another cluster's preview rules when a cluster comes or goes", () => {
        fc.assert(
            fc.property(fleets, fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), (f, extra) => {
                fc.pre(f.preview && !(extra in f.clusters));
                const before = tryPlan(f);
                fc.pre(!("refused" in before));
                const after = tryPlan(
                    { ...f, clusters: { ...f.clusters, [extra]: { accountId: "111111111111", weight: 1 } } },
                    "model" in before ? allocationOf(before.model) : undefined,
                );
                expect("refused" in after, JSON.stringify(after)).to.equal(false);
                const rules = (p: ReturnType<typeof tryPlan>) => ("plan" in p ? p.plan.rules : []);
                const now = new Map(rules(after).map(r => [`${r.kind}/${r.service}/${r.cluster ?? ""}`, r.priority]));
                for (const r of rules(before)) {
                    expect(now.get(`${r.kind}/${r.service}/${r.cluster ?? ""}`), `${r.kind} ${r.service} ${r.cluster ?? ""}`).to.equal(
                        r.priority,
                    );
                }
                // New: the cluster's preview rules, and the own rule of a service that was weightless until this cluster came.
                expect(
                    rules(after)
                        .filter(r => !rules(before).some(b => b.kind === r.kind && b.service === r.service && b.cluster === r.cluster))
                        .every(r => r.cluster === extra || r.kind === "service"),
                ).to.equal(true);
            }),
            { numRuns: 200 },
        );
    });
});

import { expect } from "chai";
import fc from "fast-check";
import { checkListener, receivers, routeRequest } from "../../components/shared-alb/evaluate";
import { DeployedAllocation } from "../../components/shared-alb/allocate";
import { deployedAllocationOf } from "../../components/shared-alb/deployed";
import {
    HostMatch,
    PathMatch,
    namePlace,
    overlaps,
    pairLevel,
    preferredPreviewSlot,
    ruleLevel,
    valuePairs,
} from "../../components/shared-alb/precedence";
import { globMatch } from "../../components/shared-alb/glob";
import { ConfigErrors } from "../../components/internal/errors";
import { listenerPlan } from "../../components/shared-alb/rules";
import { validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { exampleNetworkArgs, networkMessages } from "../fixtures/network";
import { allocationOf, exampleRequests, instantiate, ruleAt, tgArn, toListener } from "./routing-fixtures";

const account = "111111111111";

/** An internal ALB on one domain (open preview routes allowed), routing only. */
function domainFleet(services: Record<string, unknown>, clusters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return {
        accountId: account,
        region: "eu-west-1",
        vpcId: "vpc-0a1b2c3d4e5f60718",
        vpcCidrs: ["10.0.0.0/16"],
        subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        loadBalancer: { internal: true },
        preview: {},
        clusters,
        services,
        ...extra,
    };
}

const three = {
    blue: { accountId: account, weight: 100 },
    green: { accountId: account, weight: 0 },
    red: { accountId: account, weight: 0 },
};

/** Where each service's example requests land: the service whose rule answers (undefined: the default action). */
function landing(args: Record<string, unknown>, host: string, path: string, headers: Record<string, string> = {}) {
    const plan = listenerPlan(validateSharedAlbArgs(args));
    const answer = routeRequest(toListener(plan), { host, path, headers });
    return { service: ruleAt(plan, answer.rule)?.service, receivers: receivers(answer), rule: answer.rule };
}

describe("rule allocation: no refusal for rules that cannot match one request", () => {
    it("accepts billing and catalog, whose names' digests pick the same place in one specificity level", () => {
        expect([namePlace("billing"), namePlace("catalog")]).to.deep.equal([90, 90]);
        expect(ruleLevel(["billing.example.com"], [])).to.equal(ruleLevel(["catalog.example.com"], []));
        const model = validateSharedAlbArgs(
            domainFleet(
                {
                    billing: { port: 8080, hosts: ["billing.example.com"] },
                    catalog: { port: 8080, hosts: ["catalog.example.com"] },
                },
                { blue: { accountId: account, weight: 100 } },
            ),
        );
        // billing takes the place both prefer (its name sorts first), catalog the nearest free block of the level.
        expect([model.services.billing.priority, model.services.catalog.priority]).to.deep.equal([42170, 42160]);
    });

    it("accepts fifteen /v1/svcN/* services and keeps each one's requests on its own rule", () => {
        const services = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`svc${i}`, { port: 8080, paths: [`/v1/svc${i}/*`] }]));
        const args = domainFleet(services, { blue: { accountId: account, weight: 100 } });
        const plan = listenerPlan(validateSharedAlbArgs(args));
        checkListener(toListener(plan));
        for (let i = 0; i < 15; i++) {
            expect(landing(args, "any.example.com", `/v1/svc${i}/orders`).service).to.equal(`svc${i}`);
        }
    });

    it("gives a third cluster whose key's digest picks a taken preview slot another slot", () => {
        expect([preferredPreviewSlot("green"), preferredPreviewSlot("red")]).to.deep.equal([4, 4]);
        const model = validateSharedAlbArgs(domainFleet({ web: { port: 8080, hosts: ["shop.example.com"] } }, three));
        expect([model.clusters.blue.previewSlot, model.clusters.green.previewSlot, model.clusters.red.previewSlot]).to.deep.equal([
            3, 4, 1,
        ]);
    });

    it("never runs out of preview slots for up to five clusters, whatever their keys (property)", () => {
        const keys = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), { minLength: 2, maxLength: 5 });
        fc.assert(
            fc.property(keys, ks => {
                const model = validateSharedAlbArgs(
                    domainFleet(
                        { web: { port: 8080, hosts: ["shop.example.com"] } },
                        Object.fromEntries(ks.map((k, i) => [k, { accountId: account, weight: i === 0 ? 1 : 0 }])),
                    ),
                );
                const slots = ks.map(k => model.clusters[k].previewSlot);
                expect(new Set(slots).size).to.equal(ks.length);
            }),
            { numRuns: 200 },
        );
    });

    it("plans twenty services and three clusters on one domain, within the rules quota, each request on its own service", () => {
        const services: Record<string, unknown> = {
            web: { port: 8080, hosts: ["shop.example.com"] },
            www: { port: 8080, hosts: ["www.shop.example.com"] },
            static: { port: 8080, hosts: ["*.static.example.com"] },
        };
        for (const name of [
            "billing",
            "catalog",
            "search",
            "cart",
            "checkout",
            "orders",
            "payments",
            "accounts",
            "reviews",
            "images",
            "ads",
            "support",
            "auth",
            "inventory",
            "shipping",
            "returns",
            "gifts",
        ]) {
            services[name] = { port: 8080, hosts: ["shop.example.com"], paths: [`/${name}/*`] };
        }
        const args = domainFleet(services, three);
        const model = validateSharedAlbArgs(args);
        const plan = listenerPlan(model);
        checkListener(toListener(plan));
        expect(Object.keys(model.services)).to.have.length(20);
        // 20 rules and 3 preview rules each.
        expect(plan.rules).to.have.length(80);
        for (const [name, s] of Object.entries(model.services)) {
            for (const r of exampleRequests(s.hosts, s.paths)) {
                expect(landing(args, r.host, r.path).service, `${name} ${r.host}${r.path}`).to.equal(name);
                expect(landing(args, r.host, r.path, { "x-shared-alb-cluster": "red" }).receivers).to.deep.equal([tgArn("red", name)]);
            }
        }
    });
});

describe("rule allocation: stable by the deployed state", () => {
    it("keeps every deployed priority and slot when a service and a cluster whose places collide come in", () => {
        const before = validateSharedAlbArgs(
            domainFleet(
                { catalog: { port: 8080, hosts: ["catalog.example.com"] } },
                { blue: { accountId: account, weight: 100 }, green: { accountId: account, weight: 0 } },
            ),
        );
        expect(before.services.catalog.priority).to.equal(42170);
        const deployed = allocationOf(before);
        expect(deployed).to.deep.equal({ priorities: { catalog: 42170 }, previewSlots: { blue: 3, green: 4 } });
        const after = validateSharedAlbArgs(
            domainFleet(
                {
                    billing: { port: 8080, hosts: ["billing.example.com"] },
                    catalog: { port: 8080, hosts: ["catalog.example.com"] },
                },
                three,
                { deployedAllocation: deployed },
            ),
        );
        // Without the deployed state billing would take 42170 and push catalog; with it catalog stays.
        expect([after.services.catalog.priority, after.services.billing.priority]).to.deep.equal([42170, 42160]);
        expect([after.clusters.blue.previewSlot, after.clusters.green.previewSlot, after.clusters.red.previewSlot]).to.deep.equal([
            3, 4, 1,
        ]);
    });

    it("retires green and adds red in one update without red taking a priority green's deleted preview rules still hold", () => {
        const beforeArgs = exampleNetworkArgs();
        beforeArgs.preview = { sourceCidrs: ["203.0.113.0/24"] };
        const before = validateSharedAlbArgs(beforeArgs);
        const deployed = allocationOf(before);
        const greenPreviews = Object.values(before.services).map(s => s.previewPriorities.green);
        expect(greenPreviews).to.deep.equal([44014, 31744]);
        const afterArgs = exampleNetworkArgs();
        afterArgs.preview = { sourceCidrs: ["203.0.113.0/24"] };
        delete afterArgs.clusters.green;
        afterArgs.clusters.red = { accountId: "333333333333", weight: 0 };
        afterArgs.deployedAllocation = deployed;
        const after = validateSharedAlbArgs(afterArgs);
        const redPreviews = Object.values(after.services).map(s => s.previewPriorities.red);
        expect(after.clusters.red.previewSlot).to.equal(1);
        expect(redPreviews).to.deep.equal([44011, 31741]);
        expect(redPreviews.filter(p => greenPreviews.includes(p))).to.deep.equal([]);
    });

    it("keeps a retiring cluster's slot, so a cluster added beside it takes another", () => {
        const args = exampleNetworkArgs();
        args.preview = { sourceCidrs: ["203.0.113.0/24"] };
        args.clusters.green.retiring = true;
        args.clusters.green.weight = 0;
        args.clusters.red = { accountId: "333333333333", weight: 0 };
        const model = validateSharedAlbArgs(args);
        expect([model.clusters.green.previewSlot, model.clusters.red.previewSlot]).to.deep.equal([4, 1]);
        expect(model.services.web.previewPriorities).to.deep.equal({ blue: 44013, red: 44011 });
    });

    it("reads the deployed state from a network stack's outputs, and refuses a malformed one naming the path", () => {
        expect(
            deployedAllocationOf({
                services: { web: { priority: 44020 }, gone: { priority: 1010 }, odd: { priority: "x" }, web2: { priority: 50001 } },
                clusters: { blue: { previewSlot: 3 }, green: { previewSlot: 0 }, red: {} },
                accountId: account,
            }),
        ).to.deep.equal({ priorities: { web: 44020, gone: 1010 }, previewSlots: { blue: 3 } });
        expect(deployedAllocationOf(undefined)).to.deep.equal({ priorities: {}, previewSlots: {} });
        expect(
            networkMessages(a => {
                a.deployedAllocation = { priorities: { web: 0 }, previewSlots: { blue: 10 } };
            }),
        ).to.deep.equal([
            "deployedAllocation.priorities.web: got 0; expected an integer from 1 to 50000",
            "deployedAllocation.previewSlots.blue: got 10; expected an integer from 1 to 9",
        ]);
    });

    it("never moves a rule or slot that stays, nor reuses a deployed place, over generated changes (property)", () => {
        const label = fc.constantFrom("billing", "catalog", "search", "cart", "api", "web", "img", "auth", "maps", "shop");
        const service = fc
            .record({
                name: label,
                host: fc.constantFrom("shop.example.com", "api.example.com", "*.example.com", undefined),
                path: fc.constantFrom("/api/*", "/img/*", "/v1/*", "/checkout/*", undefined),
            })
            .filter(s => s.host !== undefined || s.path !== undefined);
        const services = fc.uniqueArray(service, { selector: s => s.name, minLength: 1, maxLength: 6 });
        const clusterKeys = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { minLength: 2, maxLength: 5 });
        const toArgs = (ss: Array<{ name: string; host?: string; path?: string }>, cs: string[], deployed?: DeployedAllocation) =>
            domainFleet(
                Object.fromEntries(
                    ss.map(s => [s.name, { port: 8080, ...(s.host ? { hosts: [s.host] } : {}), ...(s.path ? { paths: [s.path] } : {}) }]),
                ),
                Object.fromEntries(cs.map((c, i) => [c, { accountId: account, weight: i === 0 ? 1 : 0 }])),
                deployed ? { deployedAllocation: deployed } : {},
            );
        fc.assert(
            fc.property(services, services, clusterKeys, clusterKeys, (ss1, ss2, cs1, cs2) => {
                let before;
                try {
                    before = validateSharedAlbArgs(toArgs(ss1, cs1));
                } catch {
                    return; // overlapping at equal specificity: a real conflict
                }
                const deployed = allocationOf(before);
                // The next update: some services and clusters stay (same conditions), some go, some come.
                const next = [...ss1.filter((_, i) => i % 2 === 0), ...ss2.filter(s => !ss1.some(o => o.name === s.name))];
                const clusters = [...new Set([...cs1.filter((_, i) => i % 2 === 0), ...cs2])].slice(0, 5);
                fc.pre(next.length > 0 && clusters.length > 0);
                let after;
                try {
                    after = validateSharedAlbArgs(toArgs(next, clusters, deployed));
                } catch (e) {
                    expect(String(e)).to.match(/at the same specificity|shadow each other/);
                    return;
                }
                const held = new Set([...Object.values(deployed.priorities)]);
                for (const s of Object.values(after.services)) {
                    const was = deployed.priorities[s.name];
                    expect(s.priority, s.name).to.equal(was ?? s.priority);
                    if (was === undefined) {
                        expect(held.has(s.priority), `${s.name} took deployed ${s.priority}`).to.equal(false);
                    }
                }
                const heldSlots = new Set(Object.values(deployed.previewSlots));
                for (const c of Object.values(after.clusters)) {
                    const was = deployed.previewSlots[c.key];
                    expect(c.previewSlot, c.key).to.equal(was ?? c.previewSlot);
                    if (was === undefined) {
                        expect(heldSlots.has(c.previewSlot), `${c.key} took deployed slot ${c.previewSlot}`).to.equal(false);
                    }
                }
            }),
            { numRuns: 300 },
        );
    });
});

describe("rule allocation: explicit priorities and shadows", () => {
    const billing = () =>
        domainFleet(
            {
                billing: { port: 8080, hosts: ["billing.example.com"], priority: 100 },
                "billing-api": { port: 8080, hosts: ["billing.example.com"], paths: ["/api/*"] },
            },
            { blue: { accountId: account, weight: 100 } },
        );

    it("refuses an explicit priority that puts a host-only rule before a more specific rule on its host, naming both and a request", () => {
        expect(() => validateSharedAlbArgs(billing())).to.throw(
            "services.billing.priority: got 100; services.billing (priority 100) precedes services.billing-api (priority 12680) but is less specific for a request both " +
                "match (host billing.example.com, path /api/x) (services.billing's matching values rank as host only: 19-20 literal characters, " +
                "services.billing-api's as host and path: path 3-5 literal characters, exact host): services.billing-api would never get it; leave " +
                "services.billing.priority out (derived priorities follow specificity), give services.billing-api a priority below 100, or add billing-api to " +
                "services.billing.shadows if it is meant to",
        );
    });

    it("accepts it when shadows acknowledges the pair, and billing then gets billing-api's requests", () => {
        const args = billing();
        (args.services as any).billing.shadows = ["billing-api"];
        expect(landing(args, "billing.example.com", "/api/invoices").service).to.equal("billing");
    });

    it("breaks a tie of equal specificity with shadows, and moves only the rule that must now come first", () => {
        const tie = (shadows: string[] | undefined, deployed?: DeployedAllocation) =>
            domainFleet(
                {
                    web: { port: 8080, hosts: ["shop.example.com"], ...(shadows ? { shadows } : {}) },
                    shop: { port: 8080, hosts: ["sh?p.example.com"] },
                },
                { blue: { accountId: account, weight: 100 } },
                deployed ? { deployedAllocation: deployed } : {},
            );
        expect(() => validateSharedAlbArgs(tie(undefined))).to.throw("at the same specificity");
        expect(landing(tie(["shop"]), "shop.example.com", "/").service).to.equal("web");
        expect(landing(tie(["shop"]), "ship.example.com", "/").service).to.equal("shop");
        // Deployed with web after shop: web moves to a free block before shop's, shop stays.
        const model = validateSharedAlbArgs(tie(["shop"], { priorities: { web: 44500, shop: 44400 }, previewSlots: {} }));
        expect(model.services.shop.priority).to.equal(44400);
        expect(model.services.web.priority).to.be.below(44400);
    });

    it("puts a less specific derived service that shadows a more specific one just before it, in its level", () => {
        const args = exampleNetworkArgs();
        args.services.web.shadows = ["api"];
        const model = validateSharedAlbArgs(args);
        expect(model.services.web.priority).to.be.below(model.services.api.priority);
        expect(ruleLevel([], ["/api/*"])).to.equal(Math.floor((model.services.web.priority - 1010) / 10 / 122));
        expect(landing(args, "shop.example.com", "/api/orders").service).to.equal("web");
        expect(landing(args, "other.example.com", "/api/orders").service).to.equal("api");
    });

    it("orders a rule whose other value ranks later before a rule it is more specific than wherever both match", () => {
        // billing ranks by /v?/* (path only: 3 literal characters) after reviews (/api/*: 5), yet /api/*/orders is more specific where both match.
        const args = domainFleet(
            {
                billing: { port: 8080, paths: ["/api/*/orders", "/v?/*"] },
                reviews: { port: 8080, paths: ["/api/*"] },
            },
            { blue: { accountId: account, weight: 100 } },
        );
        const model = validateSharedAlbArgs(args);
        expect(model.services.billing.priority).to.be.below(model.services.reviews.priority);
        expect(landing(args, "shop.example.com", "/api/x/orders").service).to.equal("billing");
        expect(landing(args, "shop.example.com", "/api/x").service).to.equal("reviews");
        expect(landing(args, "shop.example.com", "/v2/x").service).to.equal("billing");
    });

    it("refuses rules whose orders go round in a cycle, naming each step and its request, and accepts the cycle broken by shadows", () => {
        const cycle = (a: Record<string, any>) => {
            a.services = {
                a: { port: 8080, paths: ["/a*", "/?/b/api"] },
                c: { port: 8080, paths: ["/*/a"] },
                e: { port: 8080, paths: ["/b/?/*"] },
            };
        };
        expect(networkMessages(cycle)).to.deep.equal([
            'services.a: got {"hosts":[],"paths":["/a*","/?/b/api"]}; services a, e, c cannot be ordered: each must come before the next for a request both ' +
                "match, and the last before the first: services.a before services.e (more specific for any host, path /b/b/api), services.e before services.c " +
                "(more specific for any host, path /b/x/a), services.c before services.a (more specific for any host, path /a/a); let one of them take the " +
                "other's requests (add a to services.e.shadows), or give one a priority (1..999, lower wins)",
        ]);
        expect(
            networkMessages(a => {
                cycle(a);
                a.services.e.shadows = ["a"];
            }),
        ).to.deep.equal([]);
    });

    it("refuses shadows that acknowledge nothing or contradict the order", () => {
        const base = () => exampleNetworkArgs();
        const cases: Array<[string, (a: Record<string, any>) => void, string[]]> = [
            [
                "an unknown service",
                a => {
                    a.services.web.shadows = ["shop"];
                },
                ['services.web.shadows[0]: got "shop"; expected another service: api'],
            ],
            [
                "itself",
                a => {
                    a.services.web.shadows = ["web"];
                },
                ['services.web.shadows[0]: got "web"; expected another service: api'],
            ],
            [
                "a service it never overlaps",
                a => {
                    a.services.web.paths = ["/web/*"];
                    a.services.web.shadows = ["api"];
                },
                [
                    'services.web.shadows[0]: got "api"; services.web and services.api match no common request, so neither can shadow the other; remove it',
                ],
            ],
            [
                "two services listing each other",
                a => {
                    a.services.web.shadows = ["api"];
                    a.services.api.shadows = ["web"];
                },
                [
                    'services.api.shadows[0]: got "web"; services.web.shadows lists api too: only one of them can get the requests both match; keep one of the two',
                ],
            ],
            [
                "the default service without a rule",
                a => {
                    a.defaultService = "web";
                    a.services.web.hosts = [];
                    a.services.web.shadows = ["api"];
                },
                [
                    'services.web.shadows[0]: got "api"; services.web has no hosts or paths, so no rule (it answers only what no rule matches): there is nothing to order; remove it',
                ],
            ],
            [
                "a service whose explicit priority puts it first",
                a => {
                    a.services.api.priority = 10;
                    a.services.web.shadows = ["api"];
                },
                [
                    'services.web.shadows: got ["api"]; lists api, but services.api (priority 10) precedes services.web (priority 44020) and gets a request both match ' +
                        "(host shop.example.com, path /api/x); give services.web a priority below 10, or remove api from it",
                ],
            ],
        ];
        for (const [what, mutate, expected] of cases) {
            expect(networkMessages(mutate), what).to.deep.equal(expected);
        }
        expect(base().services.web.shadows).to.equal(undefined);
    });
});

describe("rule allocation: a weightless service captures nothing", () => {
    const shop = (checkoutWeight: number, extra: Record<string, unknown> = {}) =>
        domainFleet(
            {
                web: { port: 8080, hosts: ["shop.example.com"] },
                checkout: { port: 8080, hosts: ["shop.example.com"], paths: ["/checkout/*"], weights: { blue: checkoutWeight } },
                ...extra,
            },
            { blue: { accountId: account, weight: 100 }, green: { accountId: account, weight: 0 } },
        );

    it("leaves web's /checkout/* requests with web while checkout has no weight; the preview header reaches checkout", () => {
        expect(landing(shop(0), "shop.example.com", "/checkout/cart")).to.deep.include({
            service: "web",
            receivers: [tgArn("blue", "web")],
        });
        expect(landing(shop(0), "shop.example.com", "/checkout/cart", { "x-shared-alb-cluster": "green" }).receivers).to.deep.equal([
            tgArn("green", "checkout"),
        ]);
        expect(landing(shop(10), "shop.example.com", "/checkout/cart")).to.deep.include({
            service: "checkout",
            receivers: [tgArn("blue", "checkout")],
        });
    });

    it("leaves every host's requests where they were when a path-only service comes in at weight 0", () => {
        const args = shop(10, { reports: { port: 8080, paths: ["/reports/*"], weights: { blue: 0 } } });
        expect(landing(args, "shop.example.com", "/reports/q3").service).to.equal("web");
        expect(landing(args, "other.example.com", "/reports/q3").rule).to.equal("default");
        const plan = listenerPlan(validateSharedAlbArgs(args));
        // Its target groups stay attached through its clusters' preview rules.
        expect(plan.rules.filter(r => r.service === "reports").map(r => `${r.kind} ${r.cluster}`)).to.deep.equal([
            "preview blue",
            "preview green",
        ]);
        expect(validateSharedAlbArgs(args).services.reports.priority).to.be.above(0);
        expect(instantiate("/reports/*")).to.equal("/reports/");
    });
});

describe("rule allocation over generated fleets (realistic names, shared domains, wildcards, 2..5 clusters, preview routes)", () => {
    const names = [
        "billing",
        "catalog",
        "search",
        "cart",
        "checkout",
        "orders",
        "payments",
        "accounts",
        "reviews",
        "images",
        "ads",
        "auth",
    ];
    const hostPatterns = [
        "shop.example.com",
        "api.example.com",
        "*.example.com",
        "static.example.com",
        "*.shop.example.com",
        "sh?p.example.com",
    ];
    const pathPatterns = ["/api/*", "/v1/*", "/checkout/*", "/img/*", "/api/v1/*", "/static/*", "/api/*/orders", "/v?/*"];
    const serviceConditions = fc
        .record({
            hosts: fc.uniqueArray(fc.constantFrom(...hostPatterns), { maxLength: 2 }),
            paths: fc.uniqueArray(fc.constantFrom(...pathPatterns), { maxLength: 2 }),
            weighted: fc.boolean(),
        })
        .filter(c => c.hosts.length + c.paths.length > 0);
    const fleet = fc.record({
        services: fc.uniqueArray(fc.tuple(fc.constantFrom(...names), serviceConditions), {
            selector: ([n]) => n,
            minLength: 1,
            maxLength: 8,
        }),
        clusters: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { minLength: 2, maxLength: 5 }),
    });
    type Rule = { hosts: readonly string[]; paths: readonly string[] };

    /** The oracle: two rules conflict when a request both match ranks them equally, or one way for one request and the other way for another. */
    function conflict(a: Rule, b: Rule): boolean {
        const signs = new Set(overlaps(a, b).map(o => Math.sign(o.firstLevel - o.secondLevel)));
        return signs.has(0) || (signs.has(1) && signs.has(-1));
    }

    /** The oracle's orders: the more specific of two overlapping rules (for every request both match) first. */
    function mustPrecede(rules: Array<Rule & { name: string }>): Array<[string, string]> {
        const edges: Array<[string, string]> = [];
        for (const [i, a] of rules.entries()) {
            for (const b of rules.slice(i + 1)) {
                const signs = new Set(overlaps(a, b).map(o => Math.sign(o.firstLevel - o.secondLevel)));
                if (signs.size === 1 && signs.has(-1)) {
                    edges.push([a.name, b.name]);
                } else if (signs.size === 1 && signs.has(1)) {
                    edges.push([b.name, a.name]);
                }
            }
        }
        return edges;
    }

    /** Whether some rules' orders go round in a cycle (no priorities can keep them all). */
    function hasCycle(edges: Array<[string, string]>): boolean {
        const left = new Set(edges.flat());
        for (let removed = true; removed;) {
            const free = [...left].filter(n => !edges.some(([a, b]) => b === n && left.has(a)));
            free.forEach(n => left.delete(n));
            removed = free.length > 0;
        }
        return left.size > 0;
    }

    /** The value pair levels of a rule that match a request. */
    function matchLevel(r: Rule, host: string, path: string): number | undefined {
        const levels = valuePairs(r.hosts, r.paths)
            .filter(([h, p]) => (h === undefined || globMatch(h, host, HostMatch)) && (p === undefined || globMatch(p, path, PathMatch)))
            .map(([h, p]) => pairLevel(h, p));
        return levels.length > 0 ? Math.min(...levels) : undefined;
    }

    it("accepts every fleet without a real conflict, refuses one with a request both services of the conflict match, and routes each request to the most specific weighted service", () => {
        fc.assert(
            fc.property(fleet, g => {
                const services = Object.fromEntries(
                    g.services.map(([n, c]) => [
                        n,
                        {
                            port: 8080,
                            hosts: c.hosts,
                            paths: c.paths,
                            weights: Object.fromEntries(g.clusters.map((k, i) => [k, c.weighted && i === 0 ? 10 : 0])),
                        },
                    ]),
                );
                const clusters = Object.fromEntries(g.clusters.map(k => [k, { accountId: account, weight: 0 }]));
                const args = domainFleet(services, clusters);
                const rules = g.services.map(([n, c]) => ({ name: n, ...c }));
                const conflicts: string[][] = rules.flatMap((a, i) =>
                    rules
                        .slice(i + 1)
                        .filter(b => conflict(a, b))
                        .map(b => [a.name, b.name]),
                );
                if (hasCycle(mustPrecede(rules))) {
                    conflicts.push(["a cycle of orders"]);
                }
                let model;
                try {
                    model = validateSharedAlbArgs(args);
                } catch (e) {
                    const messages = (e as ConfigErrors).errors.map(x => x.message);
                    expect(conflicts, messages.join("\n")).to.not.deep.equal([]);
                    for (const m of messages) {
                        for (const [, a, b, host = "any.example.com", path = "/anything"] of m.matchAll(
                            /services\.([a-z]+) before services\.([a-z]+) \(more specific for (?:host (\S+)|any host), (?:path ([^\s)]+)|any path)\)/g,
                        )) {
                            const rank = (s: string) =>
                                matchLevel(
                                    rules.find(r => r.name === s)!,
                                    host,
                                    path,
                                );
                            expect(rank(a)! < rank(b)!, `${a} before ${b} at ${host}${path}: ${m}`).to.equal(true);
                        }
                        if (m.includes("cannot be ordered")) {
                            continue;
                        }
                        const named =
                            /services\.([a-z]+) and services\.([a-z]+) both match a request \((?:host (\S+)|any host), (?:path (\S+)|any path)\)/.exec(
                                m,
                            ) ??
                            /services\.([a-z]+) (?:and|\(priority \d+\) precedes) services\.([a-z]+).*?for a request both match \((?:host (\S+)|any host), (?:path (\S+)|any path)\)/.exec(
                                m,
                            );
                        if (named === null) {
                            expect(m).to.match(/shadow each other/);
                            continue;
                        }
                        const [, a, b, host = "any.example.com", path = "/anything"] = named;
                        for (const s of [a, b]) {
                            expect(
                                matchLevel(
                                    rules.find(r => r.name === s)!,
                                    host,
                                    path,
                                ),
                                `${s} matches ${host}${path}: ${m}`,
                            ).to.not.equal(undefined);
                        }
                    }
                    return;
                }
                expect(conflicts).to.deep.equal([]);
                const plan = listenerPlan(model);
                checkListener(toListener(plan));
                for (const r of rules) {
                    for (const request of exampleRequests(r.hosts, r.paths)) {
                        const matching = rules
                            .filter(o => o.weighted)
                            .map(o => ({ o, level: matchLevel(o, request.host, request.path) }))
                            .filter(x => x.level !== undefined)
                            .sort((x, y) => x.level! - y.level!);
                        const answer = ruleAt(plan, routeRequest(toListener(plan), request).rule);
                        expect(answer?.service, `${r.name} ${request.host}${request.path}`).to.equal(matching[0]?.o.name);
                    }
                }
            }),
            { numRuns: 400 },
        );
    });
});

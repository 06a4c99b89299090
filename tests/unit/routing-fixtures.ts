import fc from "fast-check";
import { ActionInput, ListenerInput } from "../../components/shared-alb/evaluate";
import { ListenerPlan, PreviewHeader, RulePlan, ServiceAction, listenerPlan, ruleConditions } from "../../components/shared-alb/rules";
import { FleetModel, validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { ConfigErrors } from "../../components/internal/errors";
import type { DeployedAllocation } from "../../components/shared-alb/allocate";
import { deployedAllocationOf } from "../../components/shared-alb/deployed";
import { buildNetworkOutputs } from "../../components/shared-alb/outputs";

/** A stand-in target group ARN naming its cluster and service. */
export const tgArn = (cluster: string, service: string): string => `tg:${cluster}/${service}`;

/** The plan's rules as the evaluator reads them (`aws.lb.ListenerRule` inputs), target groups as `tg:<cluster>/<service>`. */
export function toListener(plan: ListenerPlan, headerValue?: (header: PreviewHeader) => string): ListenerInput {
    const action = (a: ServiceAction | { kind: "not-found" }): ActionInput => {
        switch (a.kind) {
            case "forward":
                return {
                    type: "forward",
                    forward: { targetGroups: a.targets.map(t => ({ arn: tgArn(t.cluster, a.service), weight: t.weight })) },
                };
            case "fixed-response":
                return { type: "fixed-response", fixedResponse: { statusCode: a.statusCode } };
            case "not-found":
                return { type: "fixed-response", fixedResponse: { statusCode: "404" } };
        }
    };
    return {
        rules: plan.rules.map(r => ({
            priority: r.priority,
            conditions: headerValue ? ruleConditions(r, headerValue) : ruleConditions(r),
            actions: [action(r.action)],
        })),
        defaultActions: [action(plan.defaultAction)],
    };
}

/** The plan's rule at a priority (the evaluator answers with priorities). */
export function ruleAt(plan: ListenerPlan, priority: number | "default"): RulePlan | undefined {
    return priority === "default" ? undefined : plan.rules.find(r => r.priority === priority);
}

/** The filler a request puts where a pattern has a wildcard; generated literals never contain it. */
export const Filler = "q";

/** A request value a pattern matches, built from its literals: `*` stands for nothing, `?` for the filler. */
export function instantiate(pattern: string): string {
    return pattern.replace(/\*/g, "").replace(/\?/g, Filler);
}

/** A host no generated host pattern matches (every generated one has a '.'). */
export const UnmatchedHost = "qqqq";
/** A path no generated path pattern matches (every generated one has a literal after '/', or is exactly '/'). */
export const UnmatchedPath = "/q";

/** The example requests of a service: each host with each path; an absent condition uses a value no other pattern can match. */
export function exampleRequests(hosts: readonly string[], paths: readonly string[]): Array<{ host: string; path: string }> {
    const hs = hosts.length > 0 ? hosts.map(instantiate) : [UnmatchedHost];
    const ps = paths.length > 0 ? paths.map(instantiate) : [UnmatchedPath];
    return hs.flatMap(host => ps.map(path => ({ host, path })));
}

const key = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);

const hostLabel = fc.constantFrom("shop", "api", "a", "b", "eu", "*", "a?", "s*p", "?");
const host = fc
    .tuple(fc.array(hostLabel, { minLength: 1, maxLength: 3 }), fc.constantFrom("com", "io"))
    .map(([labels, tld]) => `${labels.join(".")}.${tld}`);
const pathSegment = fc.constantFrom("api", "v1", "a", "b", "img", "*", "a*", "?", "v?");
const path = fc
    .oneof(
        { weight: 1, arbitrary: fc.constant("/") },
        { weight: 6, arbitrary: fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map(segs => `/${segs.join("/")}`) },
    )
    .filter(p => /[^*?/]/.test(p.slice(1)) || p === "/");

/** Hosts and paths of one service: at most two of each, at least one in all. */
export const conditions = fc
    .record({
        hosts: fc.uniqueArray(host, { maxLength: 2 }),
        paths: fc.uniqueArray(path, { maxLength: 2 }),
    })
    .filter(c => c.hosts.length + c.paths.length > 0);

export interface GeneratedFleet {
    clusters: Record<string, { accountId: string; weight: number; services?: string[]; retiring?: boolean }>;
    services: Record<string, { port: number; hosts: string[]; paths: string[] }>;
    defaultService?: string;
    preview: boolean;
}

/**
 * Fleets of 1..6 services with random names and conditions and 1..3
 * clusters with random weights (0 included), each running every service or
 * a random subset, some retiring (weight 0); preview routes on or off;
 * maybe a default service.
 */
export const fleets: fc.Arbitrary<GeneratedFleet> = fc
    .record({
        names: fc.uniqueArray(key, { minLength: 1, maxLength: 6 }),
        conds: fc.array(conditions, { minLength: 6, maxLength: 6 }),
        clusters: fc.uniqueArray(key, { minLength: 1, maxLength: 3 }),
        weights: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
        subsets: fc.array(fc.option(fc.array(fc.nat(5), { minLength: 1, maxLength: 4 }), { nil: undefined }), {
            minLength: 3,
            maxLength: 3,
        }),
        retiring: fc.array(
            fc.nat(4).map(n => n === 0),
            { minLength: 3, maxLength: 3 },
        ),
        preview: fc.boolean(),
        defaultIndex: fc.option(fc.nat(5), { nil: undefined }),
    })
    .map(g => {
        const services = Object.fromEntries(g.names.map((n, i) => [n, { port: 8080, ...g.conds[i] }]));
        const clusters = Object.fromEntries(
            g.clusters.map((c, i) => {
                const subset = g.subsets[i];
                const runs = subset === undefined ? undefined : [...new Set(subset.map(k => g.names[k % g.names.length]))];
                const retiring = g.retiring[i] ? { retiring: true } : {};
                return [
                    c,
                    {
                        accountId: "111111111111",
                        weight: g.retiring[i] ? 0 : g.weights[i],
                        ...(runs ? { services: runs } : {}),
                        ...retiring,
                    },
                ];
            }),
        );
        const defaultService = g.defaultIndex === undefined ? undefined : g.names[g.defaultIndex % g.names.length];
        return { clusters, services, defaultService, preview: g.preview };
    });

/** The SharedAlb args of a generated fleet, deployed as `deployed` says when given. */
export function fleetArgs(f: GeneratedFleet, deployed?: DeployedAllocation): Record<string, unknown> {
    return {
        ...(deployed !== undefined ? { deployedAllocation: deployed } : {}),
        accountId: "111111111111",
        region: "eu-west-1",
        vpcId: "vpc-0a1b2c3d4e5f60718",
        vpcCidrs: ["10.0.0.0/16"],
        subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        // Routing only: the HTTP listener carries the rules.
        loadBalancer: { allowPlainHttp: true },
        clusters: f.clusters,
        services: f.services,
        ...(f.defaultService !== undefined ? { defaultService: f.defaultService } : {}),
        // Open preview routes need an internal ALB (internet-facing ones take sourceCidrs or a token).
        ...(f.preview ? { preview: {}, loadBalancer: { internal: true } } : {}),
    };
}

/** The allocation a planned fleet records in its outputs (what the next update reads back). */
export function allocationOf(model: FleetModel): DeployedAllocation {
    return deployedAllocationOf(
        buildNetworkOutputs(model, {
            loadBalancer: { arn: "", name: "", dnsName: "", zoneId: "" },
            securityGroupId: "",
            listenerArns: {},
            targetGroups: {},
            ruleArns: {},
            registrarRoleArns: {},
        }),
    ) as DeployedAllocation;
}

/** The validated model and plan of a fleet (deployed as `deployed` says), or the messages it was refused with. */
export function tryPlan(
    f: GeneratedFleet,
    deployed?: DeployedAllocation,
): { model: FleetModel; plan: ListenerPlan } | { refused: string[] } {
    try {
        const model = validateSharedAlbArgs(fleetArgs(f, deployed));
        return { model, plan: listenerPlan(model) };
    } catch (e) {
        if (e instanceof ConfigErrors) {
            return { refused: e.errors.map(x => x.message) };
        }
        throw e;
    }
}

/**
 * Refusals the generator can legitimately run into: overlaps at equal
 * specificity (or a rule whose values rank on both sides of another's),
 * single-value limits, and services whose clusters all have weight 0
 * without preview routes (their target groups would be attached nowhere).
 * Never a collision of names or slots.
 */
export const ExpectedRefusal =
    /at the same specificity|cannot be ordered|shadow each other|is less specific for a request both match|wildcards|hosts and paths together|has weight 0 and preview routes are off/;

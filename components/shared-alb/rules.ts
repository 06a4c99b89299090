import type { ConditionInput } from "./evaluate";
import type { FleetPlan, ServicePlan } from "./model";

/** One target group in a forward action, by cluster key (the ARN is wired in later). */
export interface ForwardTarget {
    cluster: string;
    weight: number;
}

/** What a listener rule (or a listener's default action) does for a service. */
export type ServiceAction =
    | { kind: "forward"; service: string; targets: ForwardTarget[]; stickinessDuration?: number }
    | { kind: "fixed-response"; statusCode: "503"; contentType: "text/plain"; messageBody: string };

/** One listener rule: a service's own rule, or a preview rule of one cluster. */
export interface RulePlan {
    /**
     * `service`: the service's rule; `preview`: its preview rule for one
     * cluster; `default-preview`: a cluster's preview rule standing in for
     * the listener's default action (the `defaultService`).
     */
    kind: "service" | "preview" | "default-preview";
    service: string;
    /** Preview rules: the cluster the header names. */
    cluster?: string;
    priority: number;
    hosts: string[];
    paths: string[];
    /**
     * Preview rules: the header, the cluster key its value names, and
     * whether the value carries the token after the key (`<key>.<token>`).
     */
    header?: PreviewHeader;
    /** Preview rules: the source CIDRs a request must come from (empty: any source). */
    sourceCidrs: string[];
    action: ServiceAction;
}

/** The header condition of a preview rule. */
export interface PreviewHeader {
    name: string;
    cluster: string;
    token: boolean;
}

/** The listener setup the model calls for. */
export interface ListenerPlan {
    /** Whether shared-alb creates listeners (false: an adopted listener). */
    createListeners: boolean;
    https: boolean;
    /** Which listener carries the service rules: `https`, `http` or `existing`. */
    rulesOn: "https" | "http" | "existing";
    /** The default action of the listener that carries the rules. */
    defaultAction: ServiceAction | { kind: "not-found" };
    /** Every rule, sorted by priority. */
    rules: RulePlan[];
}

/**
 * The action for one service: forward to the target group of every cluster
 * that runs it, weight 0 included (a target group in a forward action is
 * health-checked, so a standby cluster's pods pass their readiness gates),
 * or a fixed 503 when no cluster carries weight. ALB's handling of a
 * forward whose weights are all 0 is not documented, so that case keeps the
 * explicit 503; only the listener's default action (the `defaultService`)
 * can be in it, as a weightless service has no rule (`hasServiceRule`).
 */
export function serviceAction(service: ServicePlan): ServiceAction {
    const targets = service.clusters.map(cluster => ({ cluster, weight: service.weights[cluster] }));
    if (!targets.some(t => t.weight > 0)) {
        return {
            kind: "fixed-response",
            statusCode: "503",
            contentType: "text/plain",
            messageBody: `service ${service.name} has no cluster with weight above 0`,
        };
    }
    return { kind: "forward", service: service.name, targets, stickinessDuration: service.stickinessDuration };
}

/** Whether a service has rule conditions (hosts or paths): only the `defaultService` may have none, and it then has no rule. */
export function hasConditions(service: Pick<ServicePlan, "hosts" | "paths">): boolean {
    return service.hosts.length + service.paths.length > 0;
}

/**
 * Whether a service has a rule of its own: it has hosts or paths, and some
 * cluster gives it weight. A weightless service has only its clusters'
 * preview rules (which keep its target groups attached and health-checked):
 * its requests go where they went before it was added, instead of to a
 * fixed 503 of its own.
 */
export function hasServiceRule(service: ServicePlan): boolean {
    return hasConditions(service) && service.clusters.some(c => service.weights[c] > 0);
}

/** A preview rule's action: only the named cluster's target group. */
function previewAction(service: string, cluster: string): ServiceAction {
    return { kind: "forward", service, targets: [{ cluster, weight: 1 }] };
}

/** Listeners and rules for the model, sorted by priority. */
export function listenerPlan(model: FleetPlan): ListenerPlan {
    const lb = model.loadBalancer;
    const createListeners = lb.existingListenerArn === undefined;
    const https = createListeners && lb.certificateCount > 0;
    const rules: RulePlan[] = [];
    const preview = model.preview;
    for (const s of Object.values(model.services).filter(hasConditions)) {
        if (hasServiceRule(s)) {
            rules.push({
                kind: "service",
                service: s.name,
                priority: s.priority,
                hosts: s.hosts,
                paths: s.paths,
                sourceCidrs: [],
                action: serviceAction(s),
            });
        }
        for (const [cluster, priority] of Object.entries(s.previewPriorities)) {
            rules.push({
                kind: "preview",
                service: s.name,
                cluster,
                priority,
                hosts: s.hosts,
                paths: s.paths,
                header: { name: preview!.header, cluster, token: preview!.token },
                sourceCidrs: [...preview!.sourceCidrs],
                action: previewAction(s.name, cluster),
            });
        }
    }
    if (preview !== undefined && model.defaultService !== undefined) {
        for (const [cluster, priority] of Object.entries(preview.defaultActionPriorities)) {
            rules.push({
                kind: "default-preview",
                service: model.defaultService,
                cluster,
                priority,
                hosts: [],
                paths: [],
                header: { name: preview.header, cluster, token: preview.token },
                sourceCidrs: [...preview.sourceCidrs],
                action: previewAction(model.defaultService, cluster),
            });
        }
    }
    return {
        createListeners,
        https,
        rulesOn: !createListeners ? "existing" : https ? "https" : "http",
        defaultAction: model.defaultService !== undefined ? serviceAction(model.services[model.defaultService]) : { kind: "not-found" },
        rules: rules.sort((a, b) => a.priority - b.priority),
    };
}

/**
 * The value a preview request's header must carry: the cluster key, or with
 * a token `<cluster key>.<token>` (cluster keys have no `.`).
 */
export function previewHeaderValue(cluster: string, token?: string): string {
    return token === undefined ? cluster : `${cluster}.${token}`;
}

/** The header value of a preview rule without a token: the cluster key. */
function tokenlessValue(header: PreviewHeader): string {
    if (header.token) {
        throw new Error(`shared-alb: the preview rule of cluster ${header.cluster} needs its token to build its header value`);
    }
    return previewHeaderValue(header.cluster);
}

/**
 * A rule's conditions in the shape of `aws.lb.ListenerRule` inputs: hosts,
 * paths, the preview header, the source CIDRs. A preview header's value is
 * `headerValue` of it: the cluster key by default; a rule whose value
 * carries the token needs `headerValue` (the component gives a secret).
 */
export function ruleConditions<V = string>(
    rule: RulePlan,
    headerValue: (header: PreviewHeader) => V | string = tokenlessValue,
): ConditionInput<V | string>[] {
    const conditions: ConditionInput<V | string>[] = [];
    if (rule.hosts.length > 0) {
        conditions.push({ hostHeader: { values: [...rule.hosts] } });
    }
    if (rule.paths.length > 0) {
        conditions.push({ pathPattern: { values: [...rule.paths] } });
    }
    if (rule.header !== undefined) {
        conditions.push({ httpHeader: { httpHeaderName: rule.header.name, values: [headerValue(rule.header)] } });
    }
    if (rule.sourceCidrs.length > 0) {
        conditions.push({ sourceIp: { values: [...rule.sourceCidrs] } });
    }
    return conditions;
}

/** The logical-name key of a rule: `rule-<service>`, `preview-<service>-<cluster>`, `default-preview-<cluster>`. */
export function ruleKey(rule: RulePlan): string {
    switch (rule.kind) {
        case "service":
            return `rule-${rule.service}`;
        case "preview":
            return `preview-${rule.service}-${rule.cluster}`;
        case "default-preview":
            return `default-preview-${rule.cluster}`;
    }
}

import { FleetModel, ServiceModel } from "./validate";

/** One target group in a forward action, by cluster key (the ARN is wired in later). */
export interface ForwardTarget {
    cluster: string;
    weight: number;
}

/** What a listener rule (or a listener's default action) does for a service. */
export type ServiceAction =
    | { kind: "forward"; service: string; targets: ForwardTarget[]; stickinessDuration?: number }
    | { kind: "fixed-response"; statusCode: "503"; contentType: "text/plain"; messageBody: string };

/** One listener rule: its priority, conditions and action. */
export interface RulePlan {
    service: string;
    priority: number;
    hosts: string[];
    paths: string[];
    action: ServiceAction;
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
    rules: RulePlan[];
}

/**
 * The action for one service: forward to the target groups of the clusters
 * that carry weight (weight-0 clusters keep their target groups but stay out
 * of the action), or a fixed 503 when no cluster carries weight.
 */
export function serviceAction(service: ServiceModel): ServiceAction {
    const targets = Object.entries(service.weights)
        .filter(([, weight]) => weight > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cluster, weight]) => ({ cluster, weight }));
    if (targets.length === 0) {
        return {
            kind: "fixed-response", statusCode: "503", contentType: "text/plain",
            messageBody: `service ${service.name} has no cluster with weight above 0`,
        };
    }
    return { kind: "forward", service: service.name, targets, stickinessDuration: service.stickinessDuration };
}

/** Listeners and rules for the model, sorted by priority. */
export function listenerPlan(model: FleetModel): ListenerPlan {
    const lb = model.loadBalancer;
    const createListeners = lb.existingListenerArn === undefined;
    const https = createListeners && lb.certificateArns.length > 0;
    const rules = Object.values(model.services)
        .filter(s => s.hosts.length + s.paths.length > 0)
        .map(s => ({ service: s.name, priority: s.priority, hosts: s.hosts, paths: s.paths, action: serviceAction(s) }))
        .sort((a, b) => a.priority - b.priority);
    return {
        createListeners,
        https,
        rulesOn: !createListeners ? "existing" : https ? "https" : "http",
        defaultAction: model.defaultService !== undefined ? serviceAction(model.services[model.defaultService]) : { kind: "not-found" },
        rules,
    };
}

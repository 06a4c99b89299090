import { NetworkOutputs, ServiceOutputs, TargetGroupOutputs, albTargetPorts } from "../../components/internal";
import { unreadable } from "./aws-clients";
import { checkControllers, checkRegistrars } from "./iam-checks";
import { expectedTargetGroups, ExpectedTargetGroup, serviceListener, sortedEntries } from "./outputs";
import { checkTargetQuota } from "./quota-checks";
import { CheckResult, fail, pass, warn } from "./report";
import { AwsSnapshot, EgressRule, Fetched, LiveRule, LiveTarget, LiveTargetGroup } from "./snapshot";

/** Tag keys the network stack puts on rules and target groups. */
export const ServiceTag = "shared-alb:service";
/** On preview rules only. */
export const PreviewTag = "shared-alb:preview";

/**
 * All AWS checks, in report order, as a pure function of the outputs and the
 * live snapshot.
 */
export function runAwsChecks(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    return [
        ...checkLoadBalancer(outputs, snap),
        ...checkListeners(outputs, snap),
        ...checkTargetGroups(outputs, snap),
        checkTargetQuota(outputs, snap),
        ...checkEgress(outputs, snap),
        ...checkRegistrars(outputs, snap),
        ...checkControllers(outputs, snap),
    ];
}

/** `alb.found`, `alb.deletion-protection`, `alb.security-group`. */
export function checkLoadBalancer(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const arn = outputs.loadBalancer.arn;
    const lb = snap.loadBalancer;
    const out: CheckResult[] = [];
    if (lb.state === "missing") {
        return [
            fail(
                "alb.found",
                arn,
                "load balancer not found",
                `check that the credentials are for account ${outputs.accountId} in ${outputs.region}, and that the network stack's outputs are current (pulumi up -s network)`,
            ),
        ];
    }
    const attrs = snap.loadBalancerAttributes;
    if (lb.state === "error") {
        return [unreadable("alb.found", arn, lb), deletionProtection(arn, attrs), unreadable("alb.security-group", arn, lb)];
    }
    const live = lb.value;
    if (live.state === "active") {
        out.push(pass("alb.found", arn, `load balancer ${live.name} is active`));
    } else if (live.state === "provisioning") {
        out.push(warn("alb.found", arn, `load balancer ${live.name} is still provisioning`, "wait a few minutes and run the doctor again"));
    } else {
        out.push(
            fail(
                "alb.found",
                arn,
                `load balancer ${live.name} is ${live.state}`,
                "look at the load balancer's state reason in the EC2 console or `aws elbv2 describe-load-balancers`",
            ),
        );
    }
    out.push(deletionProtection(arn, attrs));
    const sg = outputs.loadBalancer.securityGroupId;
    out.push(
        live.securityGroups.includes(sg)
            ? pass("alb.security-group", arn, `security group ${sg} is attached`)
            : fail(
                  "alb.security-group",
                  arn,
                  `security group ${sg} from the outputs is not attached (attached: ${live.securityGroups.join(", ") || "none"})`,
                  "pulumi up -s network to reattach it; the cluster stacks allow ingress from this group only",
              ),
    );
    return out;
}

function deletionProtection(arn: string, attrs: AwsSnapshot["loadBalancerAttributes"]): CheckResult {
    if (attrs.state === "error") {
        return unreadable("alb.deletion-protection", arn, attrs);
    }
    if (attrs.state === "missing") {
        // Only when the load balancer itself is gone, which alb.found reports.
        return fail("alb.deletion-protection", arn, "no attributes: the load balancer was not found", "see alb.found");
    }
    return attrs.value["deletion_protection.enabled"] === "true"
        ? pass("alb.deletion-protection", arn, "deletion protection is on")
        : fail(
              "alb.deletion-protection",
              arn,
              "deletion protection is off: the pet load balancer can be deleted and its DNS name lost",
              `aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${arn} --attributes Key=deletion_protection.enabled,Value=true, then pulumi up -s network`,
          );
}

/** `listener.found`, `listener.rule`, `listener.weights`, `listener.preview`. */
export function checkListeners(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const out: CheckResult[] = [];
    for (const [role, arn] of sortedEntries(outputs.loadBalancer.listenerArns)) {
        const l = snap.listeners[arn];
        if (!l || l.state === "missing") {
            out.push(
                fail(
                    "listener.found",
                    `${role} ${arn}`,
                    `${role} listener not found`,
                    "pulumi up -s network to recreate it, or refresh the outputs file",
                ),
            );
        } else if (l.state === "error") {
            out.push(unreadable("listener.found", `${role} ${arn}`, l));
        } else {
            out.push(pass("listener.found", `${role} ${arn}`, `${l.value.protocol} listener on port ${l.value.port}`));
        }
    }
    const target = serviceListener(outputs);
    if (!target) {
        return out;
    }
    const rules = snap.rules[target.arn];
    for (const [service, svc] of sortedEntries(outputs.services)) {
        const subject = `service ${service}`;
        if (rules?.state === "error") {
            out.push(unreadable("listener.rule", subject, rules), unreadable("listener.weights", subject, rules));
            if (svc.previewRuleArns !== undefined) {
                out.push(unreadable("listener.preview", subject, rules));
            }
            continue;
        }
        if (!rules || rules.state !== "ok") {
            // A missing listener is already reported by listener.found.
            continue;
        }
        const found = findServiceRule(service, svc, rules.value, target.role);
        out.push(found.result);
        if (found.rule !== undefined) {
            out.push(checkWeights(outputs, service, svc.weights, found.rule));
        }
        if (svc.previewRuleArns !== undefined) {
            out.push(checkPreviewRules(outputs, service, svc.previewRuleArns, rules.value));
        }
    }
    const defaultPreviews = outputs.preview?.defaultActionRuleArns ?? {};
    if (outputs.defaultService !== undefined && Object.keys(defaultPreviews).length > 0) {
        const label = `default action (service ${outputs.defaultService})`;
        if (rules?.state === "ok") {
            out.push(checkPreviewRules(outputs, outputs.defaultService, defaultPreviews, rules.value, label));
        } else if (rules?.state === "error") {
            out.push(unreadable("listener.preview", label, rules));
        }
    }
    return out;
}

/**
 * The live rule of a service: by the ARN in the outputs; by the
 * `shared-alb:service` tag only when the outputs have no ARN (older network
 * stacks) or the ARN is gone. A rule found by ARN whose tag is missing still
 * forwards: that is a warning, not a failure.
 */
function findServiceRule(service: string, svc: ServiceOutputs, rules: LiveRule[], listenerRole: string): FoundRule {
    const subject = `service ${service}`;
    const tagged = rules.filter(r => r.tags[ServiceTag] === service && r.tags[PreviewTag] === undefined);
    if (svc.ruleArn === undefined && svc.hosts !== undefined && svc.paths !== undefined && svc.hosts.length + svc.paths.length === 0) {
        return { result: pass("listener.rule", subject, `no rule: the ${listenerRole} listener's default action serves it`) };
    }
    if (svc.ruleArn === undefined && svc.priority !== undefined && Object.values(svc.weights).every(w => w === 0) && tagged.length === 0) {
        return {
            result: pass(
                "listener.rule",
                subject,
                `no rule of its own while no cluster gives it weight (priority ${svc.priority} is kept for it): ` +
                    "its requests go where they went before it was added; its clusters' preview rules keep its target groups attached",
            ),
        };
    }
    return svc.ruleArn !== undefined ? ruleByArn(service, svc, rules, tagged, listenerRole) : ruleByTag(service, tagged, listenerRole);
}

/** A service's live rule and the check's result. */
type FoundRule = { result: CheckResult; rule?: LiveRule };

/**
 * The live rule of a service whose outputs carry its ARN; a rule tagged for
 * the service stands in (with a warning) when the ARN is gone.
 */
function ruleByArn(service: string, svc: ServiceOutputs, rules: LiveRule[], tagged: LiveRule[], listenerRole: string): FoundRule {
    const subject = `service ${service}`;
    const rule = rules.find(r => r.arn === svc.ruleArn);
    if (rule !== undefined) {
        const where = `rule priority ${rule.priority} on the ${listenerRole} listener`;
        if (svc.priority !== undefined && rule.priority !== String(svc.priority)) {
            return {
                rule,
                result: warn(
                    "listener.rule",
                    subject,
                    `${where}, but the outputs say priority ${svc.priority}`,
                    "refresh the outputs file (pulumi stack output --json -s network) or pulumi up -s network to put the priority back",
                ),
            };
        }
        if (rule.tags[ServiceTag] !== service) {
            return {
                rule,
                result: warn(
                    "listener.rule",
                    subject,
                    `${where} (found by its ARN) has no tag ${ServiceTag}=${service}; it still forwards`,
                    "pulumi up -s network puts the tag back (tools that look rules up by tag need it)",
                ),
            };
        }
        return { rule, result: pass("listener.rule", subject, where) };
    }
    if (tagged.length > 0) {
        return {
            rule: tagged[0],
            result: warn(
                "listener.rule",
                subject,
                `rule ${svc.ruleArn} from the outputs is not on the ${listenerRole} listener; a rule tagged ${ServiceTag}=${service} is (priority ${tagged[0].priority})`,
                "the outputs file is stale: pulumi stack output --json -s network, then run the doctor again",
            ),
        };
    }
    return {
        result: fail(
            "listener.rule",
            subject,
            `rule ${svc.ruleArn} from the outputs is not on the ${listenerRole} listener: the service gets no traffic of its own`,
            "pulumi up -s network to recreate the rule (it was deleted outside the stack), or refresh the outputs file",
        ),
    };
}

/** The live rule of a service found by its `shared-alb:service` tag (outputs without a rule ARN). */
function ruleByTag(service: string, tagged: LiveRule[], listenerRole: string): FoundRule {
    const subject = `service ${service}`;
    if (tagged.length === 0) {
        return {
            result: fail(
                "listener.rule",
                subject,
                `no rule on the ${listenerRole} listener is tagged ${ServiceTag}=${service}: the service gets no traffic`,
                "pulumi up -s network to recreate the rule (it was deleted or its tag removed)",
            ),
        };
    }
    if (tagged.length > 1) {
        return {
            rule: tagged[0],
            result: warn(
                "listener.rule",
                subject,
                `${tagged.length} rules are tagged ${ServiceTag}=${service} (${tagged.map(r => `priority ${r.priority}`).join(", ")}); only the lowest priority one matches`,
                "delete the rule that the network stack does not manage",
            ),
        };
    }
    return {
        rule: tagged[0],
        result: pass("listener.rule", subject, `rule priority ${tagged[0].priority} on the ${listenerRole} listener`),
    };
}

/**
 * Whether a live preview rule's source CIDRs are the ones the outputs say
 * (none in the outputs: any, as before preview sources existed).
 */
function sameSources(live: string[], wanted: string[]): boolean {
    return wanted.length === 0 || (live.length === wanted.length && wanted.every(c => live.includes(c)));
}

/**
 * Whether a live preview rule's header value names the cluster: its key, or
 * with `preview.tokenRequired` the key, a dot and a token (the token is in
 * no output, so only its presence is checked). Compared case-insensitively,
 * as the ALB compares header values.
 */
export function previewValueNames(value: string, cluster: string, tokenRequired: boolean): boolean {
    const v = value.toLowerCase();
    return tokenRequired ? v.startsWith(`${cluster}.`) && v.length > cluster.length + 1 : v === cluster;
}

/**
 * `listener.preview`: every preview rule of a service (or of the default
 * action) exists, carries the preview header with its cluster's key, and
 * forwards only to that cluster's target group of the service.
 */
function checkPreviewRules(
    outputs: NetworkOutputs,
    service: string,
    arns: Record<string, string>,
    rules: LiveRule[],
    label = `service ${service}`,
): CheckResult {
    const header = (outputs.preview?.header ?? "").toLowerCase();
    const token = outputs.preview?.tokenRequired === true;
    const sources = outputs.preview?.sourceCidrs ?? [];
    const value = `<cluster>${token ? ".<token>" : ""}${sources.length > 0 ? ` from ${sources.join(", ")}` : ""}`;
    const problems: string[] = [];
    for (const [cluster, arn] of sortedEntries(arns)) {
        const rule = rules.find(r => r.arn === arn);
        const tg = outputs.clusters[cluster]?.targetGroups[service];
        if (rule === undefined) {
            problems.push(`${cluster}: rule ${arn} not found`);
        } else if (!(rule.headers[header] ?? []).some(v => previewValueNames(v, cluster, token))) {
            problems.push(
                `${cluster}: priority ${rule.priority} does not match ${outputs.preview?.header}: ${cluster}${token ? ".<token>" : ""}`,
            );
        } else if (!sameSources(rule.sourceIps ?? [], sources)) {
            problems.push(
                `${cluster}: priority ${rule.priority} takes requests from ${(rule.sourceIps ?? []).join(", ") || "any source"}, not only from ${sources.join(", ")}`,
            );
        } else if (tg === undefined || rule.forward?.length !== 1 || rule.forward[0].targetGroupArn !== tg.arn) {
            problems.push(
                `${cluster}: priority ${rule.priority} does not forward to the cluster's target group ${tg?.name ?? "(none in the outputs)"} alone`,
            );
        }
    }
    const clusters = Object.keys(arns).sort().join(", ");
    return problems.length === 0
        ? pass("listener.preview", label, `preview rules of ${clusters} send ${outputs.preview?.header}: ${value} to that cluster`)
        : fail(
              "listener.preview",
              label,
              `preview rules differ from the outputs: ${problems.join("; ")}`,
              "pulumi up -s network puts the preview rules back (or refresh the outputs file)",
          );
}

function checkWeights(outputs: NetworkOutputs, service: string, weights: Record<string, number>, rule: LiveRule): CheckResult {
    const subject = `service ${service}`;
    const hint = `the rule was changed outside the stack: pulumi up -s network puts the weights back (or change services/weights in the network config and run it)`;
    // Expected weight by target group ARN: every cluster that runs the service.
    const expected = new Map<string, { cluster: string; weight: number }>();
    for (const [cluster, c] of sortedEntries(outputs.clusters)) {
        const tg = c.targetGroups[service];
        if (tg) {
            expected.set(tg.arn, { cluster, weight: weights[cluster] ?? c.weight });
        }
    }
    const total = [...expected.values()].reduce((sum, e) => sum + e.weight, 0);
    const want = [...expected.values()].map(e => `${e.cluster}=${e.weight}`).join(" ");
    if (!rule.forward) {
        if (total === 0 && rule.fixedResponseStatus === "503") {
            return pass("listener.weights", subject, "all weights are 0 and the rule answers 503, as expected");
        }
        return fail(
            "listener.weights",
            subject,
            `the rule does not forward (actions: ${rule.actionTypes.join(", ") || "none"}) but the outputs expect ${want}`,
            hint,
        );
    }
    const live = new Map<string, number>();
    for (const f of rule.forward) {
        live.set(f.targetGroupArn, (live.get(f.targetGroupArn) ?? 0) + f.weight);
    }
    const drift: string[] = [];
    const detached: string[] = [];
    for (const [arn, e] of expected) {
        const got = live.get(arn);
        if (got === undefined && e.weight === 0) {
            detached.push(e.cluster);
        } else if ((got ?? 0) !== e.weight) {
            drift.push(`${e.cluster} ${got ?? 0} (expected ${e.weight})`);
        }
    }
    for (const [arn, w] of live) {
        if (!expected.has(arn) && w > 0) {
            drift.push(`unknown target group ${shortArn(arn)} ${w} (expected not forwarded)`);
        }
    }
    if (total === 0) {
        drift.push("all expected weights are 0, so the rule should answer 503");
    }
    if (drift.length > 0) {
        return fail("listener.weights", subject, `live weights differ from the outputs: ${drift.join(", ")}`, hint);
    }
    if (detached.length > 0) {
        return fail(
            "listener.weights",
            subject,
            `the target group of ${detached.join(", ")} (weight 0) is not in the forward action: it is not health-checked, so pods behind readiness gates there never become Ready`,
            "pulumi up -s network with this version of shared-alb: weight-0 clusters stay in the forward action with weight 0",
        );
    }
    return pass("listener.weights", subject, `weights match: ${want}`);
}

/** `tg.found`, `tg.vpc`, `tg.config`, `tg.healthy`, `tg.target-port`. */
export function checkTargetGroups(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const out: CheckResult[] = [];
    const lb = snap.loadBalancer;
    for (const e of expectedTargetGroups(outputs)) {
        const subject = `${e.cluster}/${e.service} ${e.tg.arn}`;
        const f = snap.targetGroups[e.tg.arn];
        if (!f || f.state === "missing") {
            out.push(
                fail(
                    "tg.found",
                    subject,
                    `target group ${e.tg.name} not found${e.weight > 0 ? ` while the cluster has weight ${e.weight}: its share of requests fails` : ""}`,
                    "pulumi up -s network to recreate it, then pulumi up -s cluster-" +
                        e.cluster +
                        " so the TargetGroupBinding points at the new ARN",
                ),
            );
            continue;
        }
        if (f.state === "error") {
            const ids = ["tg.found", "tg.vpc", "tg.config", "tg.healthy", "tg.target-port"] as const;
            out.push(...ids.map(id => unreadable(id, subject, f)));
            continue;
        }
        const tg = f.value;
        out.push(pass("tg.found", subject, `target group ${tg.name} exists`));
        out.push(checkVpc(subject, tg, lb.state === "ok" ? lb.value.vpcId : lb.state === "error" ? lb : outputs.vpcId));
        out.push(checkConfig(e, tg));
        out.push(...checkHealth(e, snap.targetHealth[e.tg.arn]));
    }
    return out;
}

/** `tg.vpc`: the target group is in the load balancer's VPC (the outputs' VPC when the load balancer is gone; unknown when it could not be read). */
function checkVpc(subject: string, tg: LiveTargetGroup, lbVpc: string | { call: string; error: string }): CheckResult {
    if (typeof lbVpc !== "string") {
        return unreadable("tg.vpc", subject, lbVpc);
    }
    return tg.vpcId === lbVpc
        ? pass("tg.vpc", subject, `in the load balancer's VPC ${lbVpc}`)
        : fail(
              "tg.vpc",
              subject,
              `target group is in ${tg.vpcId}, the load balancer in ${lbVpc}: the ALB cannot forward to it`,
              `recreate the target group in ${lbVpc} (pulumi up -s network with the right vpcId)`,
          );
}

function checkConfig(e: ExpectedTargetGroup, tg: LiveTargetGroup): CheckResult {
    const subject = `${e.cluster}/${e.service} ${e.tg.arn}`;
    const diffs: string[] = [];
    if (tg.port !== e.tg.port) {
        diffs.push(`port ${tg.port} (outputs ${e.tg.port})`);
    }
    if (tg.protocol.toUpperCase() !== e.tg.protocol.toUpperCase()) {
        diffs.push(`protocol ${tg.protocol} (outputs ${e.tg.protocol})`);
    }
    if (tg.targetType !== e.tg.targetType) {
        diffs.push(`target type ${tg.targetType} (outputs ${e.tg.targetType})`);
    }
    if (diffs.length > 0) {
        return fail(
            "tg.config",
            subject,
            `target group differs from the outputs: ${diffs.join(", ")}`,
            "refresh the outputs file (pulumi stack output --json -s network) or pulumi up -s network",
        );
    }
    const redirects = tg.matcher !== undefined && /(^|[,-])3\d\d/.test(tg.matcher);
    if (redirects) {
        return warn(
            "tg.config",
            subject,
            `health check matcher ${tg.matcher} accepts redirects, so a target that only redirects counts as healthy`,
            "point the health check at a path that answers 200 and use matcher 200-299",
        );
    }
    return pass(
        "tg.config",
        subject,
        `${tg.protocol} port ${tg.port}, ${tg.targetType} targets, health check ${tg.healthCheckPath ?? "(tcp)"} matcher ${tg.matcher ?? "default"}`,
    );
}

function countStates(targets: readonly LiveTarget[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const t of targets) {
        counts[t.state] = (counts[t.state] ?? 0) + 1;
    }
    return counts;
}

function checkHealth(e: ExpectedTargetGroup, f: Fetched<LiveTarget[]> | undefined): CheckResult[] {
    const subject = `${e.cluster}/${e.service} ${e.tg.arn}`;
    if (!f || f.state === "missing") {
        return [];
    }
    if (f.state === "error") {
        return [unreadable("tg.healthy", subject, f), unreadable("tg.target-port", subject, f)];
    }
    return [healthResult(e, subject, f.value), targetPortResult(e, subject, f.value)].filter(r => r !== undefined);
}

/** `tg.healthy`: a target group with weight has a healthy target, and every target is healthy. */
function healthResult(e: ExpectedTargetGroup, subject: string, targets: readonly LiveTarget[]): CheckResult {
    const counts = countStates(targets);
    const healthy = counts.healthy ?? 0;
    const others = Object.entries(counts)
        .filter(([s]) => s !== "healthy")
        .sort()
        .map(([s, n]) => `${n} ${s}`);
    const tally = [`${healthy} healthy`, ...others].join(", ");
    const redirected = targets.find(t => t.reason === "Target.ResponseCodeMismatch" && /\b3\d\d\b/.test(t.description ?? ""));
    const reasonHint = redirected
        ? `the health check gets a redirect (${redirected.description}): point it at a path that answers 200, or the service at the plain-HTTP port`
        : undefined;
    if (e.weight > 0 && healthy === 0) {
        const why = targets.length === 0 ? "no targets registered" : `${tally}${firstReason(targets)}`;
        return fail(
            "tg.healthy",
            subject,
            `weight ${e.weight} but no healthy target (${why}): requests sent here fail with 503`,
            reasonHint ??
                (targets.length === 0
                    ? `check the TargetGroupBinding and the controller in cluster ${e.cluster} (shared-alb doctor --kubeconfig ... --cluster ${e.cluster}), or set the weight to 0`
                    : `fix the pods' health check (path, port, security group) in cluster ${e.cluster}, or set its weight to 0 until it is healthy`),
        );
    } else if (healthy < targets.length) {
        return warn(
            "tg.healthy",
            subject,
            `${tally}${firstReason(targets)}`,
            reasonHint ?? `look at the unhealthy targets in cluster ${e.cluster}; the healthy ones carry the traffic meanwhile`,
        );
    }
    return pass(
        "tg.healthy",
        subject,
        e.weight === 0 && targets.length === 0 ? "weight 0 and no targets" : `${tally} (weight ${e.weight})`,
    );
}

/** `tg.target-port`: every target is registered on a port the ALB security group opens; nothing when there are no targets. */
function targetPortResult(e: ExpectedTargetGroup, subject: string, targets: readonly LiveTarget[]): CheckResult | undefined {
    const range = trafficPorts(e.tg);
    const opened = portsText(range);
    const offPort = targets.filter(t => t.port !== undefined && (t.port < range.fromPort || t.port > range.toPort));
    if (offPort.length > 0) {
        const ports = [...new Set(offPort.map(t => t.port))].sort((a, b) => (a ?? 0) - (b ?? 0));
        return warn(
            "tg.target-port",
            subject,
            `${offPort.length} of ${targets.length} targets are registered on port ${ports.join(", ")}, not ${range.fromPort === range.toPort ? "the target group port" : "a NodePort"} ${opened}; the ALB security group only opens ${opened}`,
            e.tg.targetType === "instance"
                ? `make the Service's NodePort ${opened} (services.${e.service}.nodePort, or clusters.${e.cluster}.serviceOverrides.${e.service}.nodePort, in the network config)`
                : `make the Service's targetPort ${e.tg.port} (or set the target group port to the container port in the network config: ` +
                      `services.${e.service}.port, or clusters.${e.cluster}.serviceOverrides.${e.service}.port for this cluster only)`,
        );
    } else if (targets.length > 0) {
        return pass("tg.target-port", subject, `all targets on ${range.fromPort === range.toPort ? "port" : "ports in"} ${opened}`);
    }
    return undefined;
}

function firstReason(targets: readonly LiveTarget[]): string {
    const t = targets.find(x => x.state !== "healthy" && (x.reason || x.description));
    return t ? `; e.g. ${t.id}: ${t.reason ?? ""}${t.description ? ` (${t.description})` : ""}` : "";
}

/** The ports a target group's traffic goes to (`albTargetPorts`): its port for `ip` targets, the NodePort (or the NodePort range) for `instance` targets. */
export function trafficPorts(tg: TargetGroupOutputs): { fromPort: number; toPort: number } {
    const [traffic] = albTargetPorts(tg);
    return { fromPort: traffic.fromPort, toPort: traffic.toPort };
}

function portsText(r: { fromPort: number; toPort: number }): string {
    return r.fromPort === r.toPort ? `${r.fromPort}` : `${r.fromPort}-${r.toPort}`;
}

/** A port range the ALB must reach, and who needs it. */
interface NeededRange {
    fromPort: number;
    toPort: number;
    users: string[];
}

/**
 * The port ranges the ALB security group must open: each target group's
 * (`albTargetPorts`), its health-check port from the outputs, else the live
 * target group. A target group that could not be read, with no
 * health-check port in the outputs, is listed in `unknown`.
 */
function neededRanges(
    outputs: NetworkOutputs,
    snap: AwsSnapshot,
): { ranges: NeededRange[]; unknown: Array<{ who: string; read: { call: string; error: string } }> } {
    const ranges = new Map<string, NeededRange>();
    const unknown: Array<{ who: string; read: { call: string; error: string } }> = [];
    const need = (r: { fromPort: number; toPort: number }, why: string): void => {
        const key = portsText(r);
        const entry = ranges.get(key) ?? { ...r, users: [] };
        entry.users.push(why);
        ranges.set(key, entry);
    };
    for (const e of expectedTargetGroups(outputs)) {
        const live = snap.targetGroups[e.tg.arn];
        if (e.tg.healthCheckPort === undefined && live?.state === "error") {
            unknown.push({ who: `${e.cluster}/${e.service}`, read: live });
        }
        const healthCheckPort =
            e.tg.healthCheckPort ??
            (live?.state === "ok" && /^\d+$/.test(live.value.healthCheckPort) ? Number(live.value.healthCheckPort) : undefined);
        for (const p of albTargetPorts({ ...e.tg, healthCheckPort })) {
            need(
                { fromPort: p.fromPort, toPort: p.toPort },
                p.purpose === "traffic" ? `${e.cluster}/${e.service}` : `${e.cluster}/${e.service} health check`,
            );
        }
    }
    return { ranges: [...ranges.values()].sort((a, b) => a.fromPort - b.fromPort || a.toPort - b.toPort), unknown };
}

/**
 * `sg.alb-egress`: one result per distinct port or port range the ALB must
 * reach. Without the VPC's CIDRs (their read failed), only a rule to
 * anywhere, a security group or a prefix list proves a range reachable, and
 * a rule to part of some network cannot be judged.
 */
export function checkEgress(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const sgId = outputs.loadBalancer.securityGroupId;
    const sg = snap.securityGroup;
    if (sg.state === "missing") {
        return [fail("sg.alb-egress", sgId, "the load balancer's security group does not exist", "pulumi up -s network to recreate it")];
    }
    if (sg.state === "error") {
        return [unreadable("sg.alb-egress", sgId, sg)];
    }
    const vpc = snap.vpcCidrs;
    const cidrsRead =
        vpc.state === "ok"
            ? undefined
            : vpc.state === "error"
              ? vpc
              : { call: "ec2:DescribeVpcs", error: `VPC ${outputs.vpcId} not found` };
    const vpcCidrs = vpc.state === "ok" ? vpc.value : [];
    const { ranges, unknown } = neededRanges(outputs, snap);
    const out: CheckResult[] = [];
    for (const r of ranges) {
        const ports = portsText(r);
        const subject = `${sgId} port ${ports}`;
        const users = r.users.length > 3 ? `${r.users.slice(0, 3).join(", ")} and ${r.users.length - 3} more` : r.users.join(", ");
        const partial = sg.value.egress.filter(rule => overlapsRange(rule, r.fromPort, r.toPort));
        if (reachesVpc(sg.value.egress, r.fromPort, r.toPort, vpcCidrs)) {
            const dest = [...new Set(partial.map(describeDest))];
            out.push(pass("sg.alb-egress", subject, `egress allows tcp ${ports} to ${dest.join(", ")} (${users})`));
        } else if (partial.length > 0 && cidrsRead !== undefined) {
            out.push(unreadable("sg.alb-egress", subject, cidrsRead));
        } else if (partial.length > 0) {
            out.push(
                warn(
                    "sg.alb-egress",
                    subject,
                    `egress on tcp ${ports} only reaches ${partial.map(describeDest).join(", ")}, not the whole VPC ${vpcCidrs.join(", ") || "(CIDR unknown)"} (${users})`,
                    "make sure every target IP is inside the allowed ranges, or pulumi up -s network to restore the VPC-wide rules (vpcCidrs lists every CIDR of the VPC)",
                ),
            );
        } else {
            out.push(
                fail(
                    "sg.alb-egress",
                    subject,
                    `no egress rule allows tcp ${ports}: the ALB cannot reach ${users}`,
                    `pulumi up -s network, or aws ec2 authorize-security-group-egress --group-id ${sgId} --ip-permissions IpProtocol=tcp,FromPort=${r.fromPort},ToPort=${r.toPort},IpRanges=[{CidrIp=${vpcCidrs[0] ?? "<vpc-cidr>"}}]`,
                ),
            );
        }
    }
    out.push(...unknown.map(u => unreadable("sg.alb-egress", `${sgId} health check of ${u.who}`, u.read)));
    return out;
}

/**
 * Whether every port of the range reaches every CIDR of the VPC (a security
 * group or prefix list destination counts as reaching it; with the VPC's
 * CIDRs unknown, only 0.0.0.0/0 does). Rules may share the work: one per
 * CIDR, or several port ranges.
 */
function reachesVpc(egress: EgressRule[], fromPort: number, toPort: number, vpcCidrs: string[]): boolean {
    const wide = (rule: EgressRule, cidr?: string) =>
        rule.groupIds.length > 0 ||
        rule.prefixListIds.length > 0 ||
        rule.cidrs.some(c => (cidr === undefined ? c === "0.0.0.0/0" : cidrContains(c, cidr)));
    const targets = vpcCidrs.length > 0 ? vpcCidrs : [undefined];
    for (let port = fromPort; port <= toPort; port++) {
        const here = egress.filter(rule => coversPort(rule, port));
        if (!targets.every(cidr => here.some(rule => wide(rule, cidr)))) {
            return false;
        }
    }
    return true;
}

function overlapsRange(rule: EgressRule, fromPort: number, toPort: number): boolean {
    for (let port = fromPort; port <= toPort; port++) {
        if (coversPort(rule, port)) {
            return true;
        }
    }
    return false;
}

function coversPort(rule: EgressRule, port: number): boolean {
    if (rule.protocol === "-1" || rule.protocol === "all") {
        return true;
    }
    if (rule.protocol !== "tcp" && rule.protocol !== "6") {
        return false;
    }
    if (rule.fromPort === undefined || rule.toPort === undefined) {
        return true;
    }
    return (rule.fromPort === -1 && rule.toPort === -1) || (rule.fromPort <= port && port <= rule.toPort);
}

function describeDest(rule: EgressRule): string {
    return [...rule.cidrs, ...rule.ipv6Cidrs, ...rule.groupIds, ...rule.prefixListIds].join(", ") || "nowhere";
}

function ipv4ToInt(ip: string): number | undefined {
    const parts = ip.split(".").map(Number);
    if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) {
        return undefined;
    }
    return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** Whether IPv4 CIDR `outer` contains all of CIDR `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
    const [oIp, oLen] = outer.split("/");
    const [iIp, iLen] = inner.split("/");
    const o = ipv4ToInt(oIp);
    const i = ipv4ToInt(iIp);
    const ol = Number(oLen ?? 32);
    const il = Number(iLen ?? 32);
    if (o === undefined || i === undefined || !(ol >= 0 && ol <= 32) || !(il >= 0 && il <= 32) || ol > il) {
        return false;
    }
    const mask = ol === 0 ? 0 : (~0 << (32 - ol)) >>> 0;
    return (o & mask) >>> 0 === (i & mask) >>> 0;
}

function shortArn(arn: string): string {
    const i = arn.indexOf("targetgroup/");
    return i >= 0 ? arn.slice(i) : arn;
}

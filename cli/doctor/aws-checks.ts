import { arnPartition, targetGroupArn } from "../../components/internal/arn";
import { NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "../../components/internal/contract";
import { NodePortRange } from "../../components/internal/values";
import { evaluateTrust, isAllowed } from "./iam-policy";
import { expectedTargetGroups, ExpectedTargetGroup, serviceListener, sortedEntries } from "./outputs";
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
        ...checkEgress(outputs, snap),
        ...checkRegistrars(outputs, snap),
    ];
}

function unreadable(what: string, f: Fetched<unknown>): string {
    return f.state === "error" ? `could not read ${what}: ${f.error}` : `could not read ${what}`;
}

const ReadHint = "grant the doctor's credentials read access (elasticloadbalancing:Describe*, ec2:DescribeSecurityGroups, ec2:DescribeVpcs, iam:GetRole*, iam:List*RolePolicies, iam:GetPolicy*) and run again";

/** `alb.found`, `alb.deletion-protection`, `alb.security-group`. */
export function checkLoadBalancer(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const arn = outputs.loadBalancer.arn;
    const lb = snap.loadBalancer;
    const out: CheckResult[] = [];
    if (lb.state === "missing") {
        return [fail("alb.found", arn, "load balancer not found",
            `check that the credentials are for account ${outputs.accountId} in ${outputs.region}, and that the network stack's outputs are current (pulumi up -s network)`)];
    }
    if (lb.state === "error") {
        return [warn("alb.found", arn, unreadable("the load balancer", lb), ReadHint)];
    }
    const live = lb.value;
    if (live.state === "active") {
        out.push(pass("alb.found", arn, `load balancer ${live.name} is active`));
    } else if (live.state === "provisioning") {
        out.push(warn("alb.found", arn, `load balancer ${live.name} is still provisioning`, "wait a few minutes and run the doctor again"));
    } else {
        out.push(fail("alb.found", arn, `load balancer ${live.name} is ${live.state}`, "look at the load balancer's state reason in the EC2 console or `aws elbv2 describe-load-balancers`"));
    }
    const attrs = snap.loadBalancerAttributes;
    if (attrs.state === "ok") {
        const on = attrs.value["deletion_protection.enabled"] === "true";
        out.push(on
            ? pass("alb.deletion-protection", arn, "deletion protection is on")
            : fail("alb.deletion-protection", arn, "deletion protection is off: the pet load balancer can be deleted and its DNS name lost",
                `aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${arn} --attributes Key=deletion_protection.enabled,Value=true, then pulumi up -s network`));
    } else {
        out.push(warn("alb.deletion-protection", arn, unreadable("the load balancer attributes", attrs), ReadHint));
    }
    const sg = outputs.loadBalancer.securityGroupId;
    out.push(live.securityGroups.includes(sg)
        ? pass("alb.security-group", arn, `security group ${sg} is attached`)
        : fail("alb.security-group", arn, `security group ${sg} from the outputs is not attached (attached: ${live.securityGroups.join(", ") || "none"})`,
            "pulumi up -s network to reattach it; the cluster stacks allow ingress from this group only"));
    return out;
}

/** `listener.found`, `listener.rule`, `listener.weights`, `listener.preview`. */
export function checkListeners(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const out: CheckResult[] = [];
    for (const [role, arn] of sortedEntries(outputs.loadBalancer.listenerArns)) {
        const l = snap.listeners[arn];
        if (!l || l.state === "missing") {
            out.push(fail("listener.found", `${role} ${arn}`, `${role} listener not found`, "pulumi up -s network to recreate it, or refresh the outputs file"));
        } else if (l.state === "error") {
            out.push(warn("listener.found", `${role} ${arn}`, unreadable(`the ${role} listener`, l), ReadHint));
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
        if (!rules || rules.state !== "ok") {
            if (rules?.state === "error") {
                out.push(warn("listener.rule", subject, unreadable(`the rules of the ${target.role} listener`, rules), ReadHint));
            }
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
    if (rules?.state === "ok" && outputs.defaultService !== undefined && Object.keys(defaultPreviews).length > 0) {
        out.push(checkPreviewRules(outputs, outputs.defaultService, defaultPreviews, rules.value, `default action (service ${outputs.defaultService})`));
    }
    return out;
}

/**
 * The live rule of a service: by the ARN in the outputs; by the
 * `shared-alb:service` tag only when the outputs have no ARN (older network
 * stacks) or the ARN is gone. A rule found by ARN whose tag is missing still
 * forwards: that is a warning, not a failure.
 */
function findServiceRule(service: string, svc: ServiceOutputs, rules: LiveRule[], listenerRole: string): { result: CheckResult; rule?: LiveRule } {
    const subject = `service ${service}`;
    const tagged = rules.filter(r => r.tags[ServiceTag] === service && r.tags[PreviewTag] === undefined);
    if (svc.ruleArn === undefined && svc.hosts !== undefined && svc.paths !== undefined && svc.hosts.length + svc.paths.length === 0) {
        return { result: pass("listener.rule", subject, `no rule: the ${listenerRole} listener's default action serves it`) };
    }
    if (svc.ruleArn !== undefined) {
        const rule = rules.find(r => r.arn === svc.ruleArn);
        if (rule !== undefined) {
            const where = `rule priority ${rule.priority} on the ${listenerRole} listener`;
            if (svc.priority !== undefined && rule.priority !== String(svc.priority)) {
                return { rule, result: warn("listener.rule", subject, `${where}, but the outputs say priority ${svc.priority}`,
                    "refresh the outputs file (pulumi stack output --json -s network) or pulumi up -s network to put the priority back") };
            }
            if (rule.tags[ServiceTag] !== service) {
                return { rule, result: warn("listener.rule", subject, `${where} (found by its ARN) has no tag ${ServiceTag}=${service}; it still forwards`,
                    "pulumi up -s network puts the tag back (tools that look rules up by tag need it)") };
            }
            return { rule, result: pass("listener.rule", subject, where) };
        }
        if (tagged.length > 0) {
            return { rule: tagged[0], result: warn("listener.rule", subject,
                `rule ${svc.ruleArn} from the outputs is not on the ${listenerRole} listener; a rule tagged ${ServiceTag}=${service} is (priority ${tagged[0].priority})`,
                "the outputs file is stale: pulumi stack output --json -s network, then run the doctor again") };
        }
        return { result: fail("listener.rule", subject, `rule ${svc.ruleArn} from the outputs is not on the ${listenerRole} listener: the service gets no traffic of its own`,
            "pulumi up -s network to recreate the rule (it was deleted outside the stack), or refresh the outputs file") };
    }
    if (tagged.length === 0) {
        return { result: fail("listener.rule", subject, `no rule on the ${listenerRole} listener is tagged ${ServiceTag}=${service}: the service gets no traffic`,
            "pulumi up -s network to recreate the rule (it was deleted or its tag removed)") };
    }
    if (tagged.length > 1) {
        return { rule: tagged[0], result: warn("listener.rule", subject,
            `${tagged.length} rules are tagged ${ServiceTag}=${service} (${tagged.map(r => `priority ${r.priority}`).join(", ")}); only the lowest priority one matches`,
            "delete the rule that the network stack does not manage") };
    }
    return { rule: tagged[0], result: pass("listener.rule", subject, `rule priority ${tagged[0].priority} on the ${listenerRole} listener`) };
}

/**
 * `listener.preview`: every preview rule of a service (or of the default
 * action) exists, carries the preview header with its cluster's key, and
 * forwards only to that cluster's target group of the service.
 */
function checkPreviewRules(outputs: NetworkOutputs, service: string, arns: Record<string, string>, rules: LiveRule[], label = `service ${service}`): CheckResult {
    const header = (outputs.preview?.header ?? "").toLowerCase();
    const problems: string[] = [];
    for (const [cluster, arn] of sortedEntries(arns)) {
        const rule = rules.find(r => r.arn === arn);
        const tg = outputs.clusters[cluster]?.targetGroups[service];
        if (rule === undefined) {
            problems.push(`${cluster}: rule ${arn} not found`);
        } else if (!(rule.headers[header] ?? []).some(v => v.toLowerCase() === cluster)) {
            problems.push(`${cluster}: priority ${rule.priority} does not match ${outputs.preview?.header}: ${cluster}`);
        } else if (tg === undefined || rule.forward?.length !== 1 || rule.forward[0].targetGroupArn !== tg.arn) {
            problems.push(`${cluster}: priority ${rule.priority} does not forward to the cluster's target group ${tg?.name ?? "(none in the outputs)"} alone`);
        }
    }
    const clusters = Object.keys(arns).sort().join(", ");
    return problems.length === 0
        ? pass("listener.preview", label, `preview rules of ${clusters} send ${outputs.preview?.header}: <cluster> to that cluster`)
        : fail("listener.preview", label, `preview rules differ from the outputs: ${problems.join("; ")}`,
            "pulumi up -s network puts the preview rules back (or refresh the outputs file)");
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
        return fail("listener.weights", subject, `the rule does not forward (actions: ${rule.actionTypes.join(", ") || "none"}) but the outputs expect ${want}`, hint);
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
        return fail("listener.weights", subject,
            `the target group of ${detached.join(", ")} (weight 0) is not in the forward action: it is not health-checked, so pods behind readiness gates there never become Ready`,
            "pulumi up -s network with this version of shared-alb: weight-0 clusters stay in the forward action with weight 0");
    }
    return pass("listener.weights", subject, `weights match: ${want}`);
}

/** `tg.found`, `tg.vpc`, `tg.config`, `tg.healthy`, `tg.target-port`. */
export function checkTargetGroups(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const out: CheckResult[] = [];
    const lbVpc = snap.loadBalancer.state === "ok" ? snap.loadBalancer.value.vpcId : outputs.vpcId;
    for (const e of expectedTargetGroups(outputs)) {
        const subject = `${e.cluster}/${e.service} ${e.tg.arn}`;
        const f = snap.targetGroups[e.tg.arn];
        if (!f || f.state === "missing") {
            out.push(fail("tg.found", subject, `target group ${e.tg.name} not found${e.weight > 0 ? ` while the cluster has weight ${e.weight}: its share of requests fails` : ""}`,
                "pulumi up -s network to recreate it, then pulumi up -s cluster-" + e.cluster + " so the TargetGroupBinding points at the new ARN"));
            continue;
        }
        if (f.state === "error") {
            out.push(warn("tg.found", subject, unreadable(`target group ${e.tg.name}`, f), ReadHint));
            continue;
        }
        const tg = f.value;
        out.push(pass("tg.found", subject, `target group ${tg.name} exists`));
        out.push(tg.vpcId === lbVpc
            ? pass("tg.vpc", subject, `in the load balancer's VPC ${lbVpc}`)
            : fail("tg.vpc", subject, `target group is in ${tg.vpcId}, the load balancer in ${lbVpc}: the ALB cannot forward to it`,
                `recreate the target group in ${lbVpc} (pulumi up -s network with the right vpcId)`));
        out.push(checkConfig(e, tg));
        out.push(...checkHealth(e, snap.targetHealth[e.tg.arn]));
    }
    return out;
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
        return fail("tg.config", subject, `target group differs from the outputs: ${diffs.join(", ")}`,
            "refresh the outputs file (pulumi stack output --json -s network) or pulumi up -s network");
    }
    const redirects = tg.matcher !== undefined && /(^|[,-])3\d\d/.test(tg.matcher);
    if (redirects) {
        return warn("tg.config", subject, `health check matcher ${tg.matcher} accepts redirects, so a target that only redirects counts as healthy`,
            "point the health check at a path that answers 200 and use matcher 200-299");
    }
    return pass("tg.config", subject, `${tg.protocol} port ${tg.port}, ${tg.targetType} targets, health check ${tg.healthCheckPath ?? "(tcp)"} matcher ${tg.matcher ?? "default"}`);
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
        return [warn("tg.healthy", subject, unreadable("target health", f), ReadHint)];
    }
    const targets = f.value;
    const counts = countStates(targets);
    const healthy = counts.healthy ?? 0;
    const others = Object.entries(counts).filter(([s]) => s !== "healthy").sort().map(([s, n]) => `${n} ${s}`);
    const tally = [`${healthy} healthy`, ...others].join(", ");
    const out: CheckResult[] = [];
    const redirected = targets.find(t => t.reason === "Target.ResponseCodeMismatch" && /\b3\d\d\b/.test(t.description ?? ""));
    const reasonHint = redirected
        ? `the health check gets a redirect (${redirected.description}): point it at a path that answers 200, or the service at the plain-HTTP port`
        : undefined;
    if (e.weight > 0 && healthy === 0) {
        const why = targets.length === 0
            ? "no targets registered"
            : `${tally}${firstReason(targets)}`;
        out.push(fail("tg.healthy", subject, `weight ${e.weight} but no healthy target (${why}): requests sent here fail with 503`,
            reasonHint ?? (targets.length === 0
                ? `check the TargetGroupBinding and the controller in cluster ${e.cluster} (shared-alb doctor --kubeconfig ... --cluster ${e.cluster}), or set the weight to 0`
                : `fix the pods' health check (path, port, security group) in cluster ${e.cluster}, or set its weight to 0 until it is healthy`)));
    } else if (healthy < targets.length) {
        out.push(warn("tg.healthy", subject, `${tally}${firstReason(targets)}`,
            reasonHint ?? `look at the unhealthy targets in cluster ${e.cluster}; the healthy ones carry the traffic meanwhile`));
    } else {
        out.push(pass("tg.healthy", subject, e.weight === 0 && targets.length === 0 ? "weight 0 and no targets" : `${tally} (weight ${e.weight})`));
    }
    const range = trafficPorts(e.tg);
    const opened = portsText(range);
    const offPort = targets.filter(t => t.port !== undefined && (t.port < range.fromPort || t.port > range.toPort));
    if (offPort.length > 0) {
        const ports = [...new Set(offPort.map(t => t.port))].sort((a, b) => (a ?? 0) - (b ?? 0));
        out.push(warn("tg.target-port", subject, `${offPort.length} of ${targets.length} targets are registered on port ${ports.join(", ")}, not ${range.fromPort === range.toPort ? "the target group port" : "a NodePort"} ${opened}; the ALB security group only opens ${opened}`,
            e.tg.targetType === "instance"
                ? `make the Service's NodePort ${opened} (services.${e.service}.nodePort, or clusters.${e.cluster}.serviceOverrides.${e.service}.nodePort, in the network config)`
                : `make the Service's targetPort ${e.tg.port} (or set the target group port to the container port in the network config: `
                    + `services.${e.service}.port, or clusters.${e.cluster}.serviceOverrides.${e.service}.port for this cluster only)`));
    } else if (targets.length > 0) {
        out.push(pass("tg.target-port", subject, `all targets on ${range.fromPort === range.toPort ? "port" : "ports in"} ${opened}`));
    }
    return out;
}

function firstReason(targets: readonly LiveTarget[]): string {
    const t = targets.find(x => x.state !== "healthy" && (x.reason || x.description));
    return t ? `; e.g. ${t.id}: ${t.reason ?? ""}${t.description ? ` (${t.description})` : ""}` : "";
}

/** The ports a target group's traffic goes to: its port for `ip` targets, the NodePort (or the NodePort range) for `instance` targets. */
export function trafficPorts(tg: TargetGroupOutputs): { fromPort: number; toPort: number } {
    if (tg.targetType !== "instance") {
        return { fromPort: tg.port, toPort: tg.port };
    }
    return tg.nodePort !== undefined ? { fromPort: tg.nodePort, toPort: tg.nodePort } : { fromPort: NodePortRange.from, toPort: NodePortRange.to };
}

function portsText(r: { fromPort: number; toPort: number }): string {
    return r.fromPort === r.toPort ? `${r.fromPort}` : `${r.fromPort}-${r.toPort}`;
}

/** `sg.alb-egress`: one result per distinct port or port range the ALB must reach. */
export function checkEgress(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const sgId = outputs.loadBalancer.securityGroupId;
    const sg = snap.securityGroup;
    if (sg.state === "missing") {
        return [fail("sg.alb-egress", sgId, "the load balancer's security group does not exist", "pulumi up -s network to recreate it")];
    }
    if (sg.state === "error") {
        return [warn("sg.alb-egress", sgId, unreadable("the security group", sg), ReadHint)];
    }
    const vpcCidrs = snap.vpcCidrs.state === "ok" ? snap.vpcCidrs.value : [];
    // Port range -> who needs it.
    const ranges = new Map<string, { fromPort: number; toPort: number; users: string[] }>();
    const need = (r: { fromPort: number; toPort: number }, why: string): void => {
        const key = portsText(r);
        const entry = ranges.get(key) ?? { ...r, users: [] };
        entry.users.push(why);
        ranges.set(key, entry);
    };
    for (const e of expectedTargetGroups(outputs)) {
        const traffic = trafficPorts(e.tg);
        need(traffic, `${e.cluster}/${e.service}`);
        const live = snap.targetGroups[e.tg.arn];
        const hcPort = e.tg.healthCheckPort
            ?? (live?.state === "ok" && /^\d+$/.test(live.value.healthCheckPort) ? Number(live.value.healthCheckPort) : undefined);
        if (hcPort !== undefined && (hcPort < traffic.fromPort || hcPort > traffic.toPort)) {
            need({ fromPort: hcPort, toPort: hcPort }, `${e.cluster}/${e.service} health check`);
        }
    }
    const out: CheckResult[] = [];
    for (const r of [...ranges.values()].sort((a, b) => a.fromPort - b.fromPort || a.toPort - b.toPort)) {
        const ports = portsText(r);
        const subject = `${sgId} port ${ports}`;
        const users = r.users.length > 3 ? `${r.users.slice(0, 3).join(", ")} and ${r.users.length - 3} more` : r.users.join(", ");
        const partial = sg.value.egress.filter(rule => overlapsRange(rule, r.fromPort, r.toPort));
        if (reachesVpc(sg.value.egress, r.fromPort, r.toPort, vpcCidrs)) {
            const dest = [...new Set(partial.map(describeDest))];
            out.push(pass("sg.alb-egress", subject, `egress allows tcp ${ports} to ${dest.join(", ")} (${users})`));
        } else if (partial.length > 0) {
            out.push(warn("sg.alb-egress", subject, `egress on tcp ${ports} only reaches ${partial.map(describeDest).join(", ")}, not the whole VPC ${vpcCidrs.join(", ") || "(CIDR unknown)"} (${users})`,
                "make sure every target IP is inside the allowed ranges, or pulumi up -s network to restore the VPC-wide rules (vpcCidrs lists every CIDR of the VPC)"));
        } else {
            out.push(fail("sg.alb-egress", subject, `no egress rule allows tcp ${ports}: the ALB cannot reach ${users}`,
                `pulumi up -s network, or aws ec2 authorize-security-group-egress --group-id ${sgId} --ip-permissions IpProtocol=tcp,FromPort=${r.fromPort},ToPort=${r.toPort},IpRanges=[{CidrIp=${vpcCidrs[0] ?? "<vpc-cidr>"}}]`));
        }
    }
    return out;
}

/**
 * Whether every port of the range reaches every CIDR of the VPC (a security
 * group or prefix list destination counts as reaching it; with the VPC's
 * CIDRs unknown, only 0.0.0.0/0 does). Rules may share the work: one per
 * CIDR, or several port ranges.
 */
function reachesVpc(egress: EgressRule[], fromPort: number, toPort: number, vpcCidrs: string[]): boolean {
    const wide = (rule: EgressRule, cidr?: string) => rule.groupIds.length > 0 || rule.prefixListIds.length > 0
        || rule.cidrs.some(c => (cidr === undefined ? c === "0.0.0.0/0" : cidrContains(c, cidr)));
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
    return ((o & mask) >>> 0) === ((i & mask) >>> 0);
}

/** `registrar.trust`: one result per cross-account cluster. */
export function checkRegistrars(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult[] {
    const out: CheckResult[] = [];
    for (const [key, c] of sortedEntries(outputs.clusters)) {
        if (c.accountId === outputs.accountId) {
            continue;
        }
        const roleArn = c.registrarRoleArn ?? "";
        const subject = `${key} ${roleArn}`;
        const f = snap.roles[roleArn];
        if (!f || f.state === "missing") {
            out.push(fail("registrar.trust", subject, `registrar role for cross-account cluster ${key} does not exist: its controller cannot register targets`,
                "pulumi up -s network to recreate the role, then restart the controller in the cluster"));
            continue;
        }
        if (f.state === "error") {
            out.push(warn("registrar.trust", subject, unreadable("the registrar role", f), ReadHint));
            continue;
        }
        const role = f.value;
        const externalId = c.externalId && c.externalId !== "[secret]" ? c.externalId : undefined;
        const trust = evaluateTrust(role.trustPolicy, { accountId: c.accountId, controllerRoleArn: c.controllerRoleArn, externalId });
        const problems = trust.map(t => ({ severity: t.severity, text: `trust policy ${t.text}` }));
        const docs = role.policies.map(p => p.document);
        const tgs = sortedEntries(c.targetGroups);
        for (const action of ["RegisterTargets", "DeregisterTargets"]) {
            const denied = tgs.filter(([, tg]) => !isAllowed(docs, `elasticloadbalancing:${action}`, tg.arn)).map(([svc]) => svc);
            if (denied.length > 0) {
                problems.push({ severity: "fail", text: `policy does not allow ${action} on the target group of ${denied.join(", ")}` });
            }
        }
        for (const action of ["DescribeTargetGroups", "DescribeTargetHealth"]) {
            if (!isAllowed(docs, `elasticloadbalancing:${action}`, "*")) {
                problems.push({ severity: "fail", text: `policy does not allow ${action} on "*"` });
            }
        }
        const probe = targetGroupArn(arnPartition(outputs.loadBalancer.arn), outputs.region, outputs.accountId, "doctor-probe-not-a-real-group", "0000000000000000");
        const otherTgs = sortedEntries(outputs.clusters).filter(([k]) => k !== key).flatMap(([, oc]) => Object.values(oc.targetGroups).map(tg => tg.arn));
        if ([probe, ...otherTgs].some(arn => isAllowed(docs, "elasticloadbalancing:RegisterTargets", arn))) {
            problems.push({ severity: "warn", text: "policy allows RegisterTargets beyond this cluster's target groups" });
        }
        for (const u of role.unreadable) {
            problems.push({ severity: "warn", text: `policy ${u.name} unreadable (${u.error})` });
        }
        const fails = problems.filter(p => p.severity === "fail");
        const warns = problems.filter(p => p.severity === "warn");
        if (fails.length > 0) {
            out.push(fail("registrar.trust", subject, [...fails, ...warns].map(p => p.text).join("; "),
                `pulumi up -s network to restore the registrar role's trust and policy (trust: account ${c.accountId}, aws:PrincipalArn ${c.controllerRoleArn}, sts:ExternalId from the outputs)`));
        } else if (warns.length > 0) {
            out.push(warn("registrar.trust", subject, warns.map(p => p.text).join("; "),
                externalId === undefined && c.externalId === "[secret]"
                    ? "pass the outputs with secrets shown: pulumi stack output --json --show-secrets -s network"
                    : "narrow the role to what the network stack grants: pulumi up -s network"));
        } else {
            out.push(pass("registrar.trust", subject, `trusts ${c.controllerRoleArn} with the external ID; may register into ${tgs.length} target group${tgs.length === 1 ? "" : "s"}`));
        }
    }
    return out;
}

function shortArn(arn: string): string {
    const i = arn.indexOf("targetgroup/");
    return i >= 0 ? arn.slice(i) : arn;
}

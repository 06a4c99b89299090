import { NetworkOutputs } from "../../components/internal";
import { checkListeners, checkLoadBalancer, checkTargetGroups } from "../doctor/aws-checks";
import { CheckResult } from "../doctor/report";
import { AwsSnapshot, LiveTarget } from "../doctor/snapshot";
import { ServiceWeights, describeWeights, sameWeights } from "./schedule";

/**
 * The gates before a step, a pure function of the outputs, the live snapshot
 * the doctor reads, and the weights the ALB should have now. The ALB,
 * listener and target group checks are the doctor's own (`alb.found`,
 * `listener.rule`, `listener.weights`, `tg.found`, `tg.healthy`), run on the
 * selected services and the target cluster; `target.min-healthy`,
 * `target.readiness` and `config.weights` are the shift's.
 */

/** One gate's verdict. A doctor check's `warn` passes the gate; `fail` and `error` (could not check) stop the shift. */
export interface Gate {
    id: string;
    status: "pass" | "warn" | "fail" | "error";
    subject: string;
    message: string;
    hint: string;
}

/** What the gates are judged on. */
export interface GateInput {
    outputs: NetworkOutputs;
    snapshot: AwsSnapshot;
    target: string;
    services: readonly string[];
    /** The weights the last verified step left on the ALB (the deployed ones before the first step). */
    live: ServiceWeights;
    /** The weights the config file holds now, of the selected services. */
    configured: ServiceWeights;
    minHealthy: number;
}

/** The outputs with the selected services' weights replaced by `weights` (what the doctor's checks compare the ALB with). */
export function outputsAt(outputs: NetworkOutputs, weights: ServiceWeights): NetworkOutputs {
    const services = { ...outputs.services };
    for (const [name, w] of Object.entries(weights)) {
        if (services[name] !== undefined) {
            services[name] = { ...services[name], weights: { ...services[name].weights, ...w } };
        }
    }
    return { ...outputs, services };
}

/** Every gate, in order. */
export function runGates(input: GateInput): Gate[] {
    const outputs = outputsAt(input.outputs, input.live);
    const selected = new Set(input.services);
    const serviceOf = (subject: string) => /^service (.+)$/.exec(subject)?.[1];
    const doctor: CheckResult[] = [
        ...checkLoadBalancer(outputs, input.snapshot).filter(c => c.id === "alb.found"),
        ...checkListeners(outputs, input.snapshot).filter(
            c => (c.id === "listener.rule" || c.id === "listener.weights") && selected.has(serviceOf(c.subject) ?? ""),
        ),
        ...checkTargetGroups(outputs, input.snapshot).filter(
            c =>
                (c.id === "tg.found" || c.id === "tg.healthy") &&
                c.subject.startsWith(`${input.target}/`) &&
                selected.has(c.subject.slice(input.target.length + 1).split(" ")[0]),
        ),
    ];
    return [
        configGate(input),
        ...doctor.map(c => ({ id: c.id, status: c.status, subject: c.subject, message: c.message, hint: c.hint })),
        ...targetGates(input),
    ];
}

/** `config.weights`: the config file holds the weights the ALB should have, so the edit starts from what is deployed. */
function configGate(input: GateInput): Gate {
    const differ = input.services.filter(s => !sameWeights(input.configured[s] ?? {}, input.live[s] ?? {}));
    if (differ.length === 0) {
        return {
            id: "config.weights",
            status: "pass",
            subject: "config",
            message: `the config file holds the deployed weights (${describeWeights(input.live, input.services)})`,
            hint: "",
        };
    }
    return {
        id: "config.weights",
        status: "fail",
        subject: "config",
        message: `the config file's weights differ from the deployed ones: config ${describeWeights(input.configured, differ)}; deployed ${describeWeights(input.live, differ)}`,
        hint: "deploy the config first (your --apply command) and export the outputs again, or put the deployed weights back in the file",
    };
}

/** `target.min-healthy` and `target.readiness`, per target group of the target cluster. */
function targetGates(input: GateInput): Gate[] {
    const out: Gate[] = [];
    const cluster = input.outputs.clusters[input.target];
    for (const service of input.services) {
        const tg = cluster?.targetGroups[service];
        const subject = `${input.target}/${service} ${tg?.name ?? "(no target group in the outputs)"}`;
        const health = tg === undefined ? undefined : input.snapshot.targetHealth[tg.arn];
        if (tg === undefined || health === undefined || health.state === "missing") {
            out.push({
                id: "target.min-healthy",
                status: "fail",
                subject,
                message: "the target group was not found",
                hint: "pulumi up -s network, then export the outputs again",
            });
            continue;
        }
        if (health.state === "error") {
            out.push({
                id: "target.min-healthy",
                status: "error",
                subject,
                message: `could not check: ${health.call} failed: ${health.error}`,
                hint: "grant elasticloadbalancing:DescribeTargetHealth and run again",
            });
            continue;
        }
        out.push(minHealthy(subject, health.value, input.minHealthy), readiness(subject, health.value));
    }
    return out;
}

function minHealthy(subject: string, targets: readonly LiveTarget[], min: number): Gate {
    const healthy = targets.filter(t => t.state === "healthy").length;
    return healthy >= min
        ? {
              id: "target.min-healthy",
              status: "pass",
              subject,
              message: `${healthy} healthy of ${targets.length} (at least ${min})`,
              hint: "",
          }
        : {
              id: "target.min-healthy",
              status: "fail",
              subject,
              message: `${healthy} healthy of ${targets.length} target${targets.length === 1 ? "" : "s"}, below --min-healthy ${min}: requests sent here would fail`,
              hint: "scale the workload up or fix its health checks, then run the shift again (shared-alb doctor shows why targets are unhealthy)",
          };
}

function readiness(subject: string, targets: readonly LiveTarget[]): Gate {
    const pending = targets.filter(t => t.state === "initial");
    const unused = targets.filter(t => t.state === "unused");
    if (pending.length > 0) {
        return {
            id: "target.readiness",
            status: "fail",
            subject,
            message: `${pending.length} target${pending.length === 1 ? " is" : "s are"} still in registration (initial): their pods' readiness gates are pending`,
            hint: "wait until the rollout in the cluster is done and every target is healthy, then run the shift again",
        };
    }
    if (unused.length > 0) {
        return {
            id: "target.readiness",
            status: "fail",
            subject,
            message: `${unused.length} target${unused.length === 1 ? " is" : "s are"} unused: the target group is in no forward action, so it is not health-checked and readiness gates never pass`,
            hint: "pulumi up -s network so the target group is in the service's forward action (weight 0 included)",
        };
    }
    return { id: "target.readiness", status: "pass", subject, message: "no target pending registration", hint: "" };
}

/** Whether the gates let the step go: no `fail` and no `error`. */
export function gatesPass(gates: readonly Gate[]): boolean {
    return gates.every(g => g.status === "pass" || g.status === "warn");
}

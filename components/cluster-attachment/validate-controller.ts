/**
 * `controller` of the ClusterAttachment arguments: how the AWS Load Balancer
 * Controller is installed (or found), read as `args.ts` declares it, and the
 * checks of its chart version, chart values and additional policy. Pure: no
 * Pulumi runtime.
 */
import { DroppedInputKey, RoleArnPattern } from "../internal/arn";
import { dataMap, pathsOfKey } from "../internal/data";
import { Problems } from "../internal/errors";
import { Reader, trueOrFalse, input, integer, isRecord, join, object, optional, readOrThrow, text, withDefault } from "../internal/read";
import { dns1123Label, dns1123Subdomain } from "../internal/values";
import type { ControllerArgs, ResourceListArgs, ResourceRequirementsArgs } from "./args";
import { ChartValueKeys, DefaultControllerResources, ManagedValueKeys } from "./helm-values";
import { ControllerDefaults, ResolvedController } from "./model";
import { ChartVersionPattern, ControllerChart, chartRequirements, compareVersions } from "./versions";

/** A Kubernetes quantity such as `100m`, `128Mi`, `0.5`. */
export const QuantityPattern = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
/** Helm release names: DNS-1123 label of at most 53 characters. */
export const ReleaseNamePattern = /^(?=.{1,53}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Actions an additional policy may never grant: this role registers targets, nothing more powerful. */
export const ForbiddenActionPatterns = [/^iam:/i, /^\*$/, /^elasticloadbalancing:(Create|Delete)/i] as const;

const quantity = optional(text(QuantityPattern, 'expected a Kubernetes quantity such as "100m" or "128Mi"'));
const resourceList = object("expected { cpu, memory }", { cpu: quantity, memory: quantity } satisfies Record<
    keyof ResourceListArgs,
    Reader<unknown>
>);

/** `controller.resources`: requests and limits as given (absent: the defaults). */
const resources = object("expected { requests: { cpu, memory }, limits: { cpu, memory } }", {
    requests: optional(resourceList),
    limits: optional(resourceList),
} satisfies Record<keyof ResourceRequirementsArgs, Reader<unknown>>);

/**
 * `controller.extraValues`: chart values merged over the TargetGroupBinding-only
 * ones: keys of the pinned chart only (it ignores unknown keys silently), and
 * none the component sets.
 */
export const chartValues: Reader<Record<string, unknown>> = (p, path, value) => {
    if (!isRecord(value)) {
        p.add(path, value, "expected a map of chart values");
        return undefined;
    }
    const out = dataMap<unknown>();
    for (const [key, v] of Object.entries(value)) {
        const managed = ManagedValueKeys.some(k => k === key);
        const dropped = pathsOfKey(v, DroppedInputKey, join(path, key));
        dropped.forEach(at =>
            p.add(
                at,
                DroppedInputKey,
                'expected another key: the Pulumi SDK drops a key named "__proto__" from a resource\'s inputs, so the chart would never see it',
            ),
        );
        if (
            p.check(
                !managed,
                join(path, key),
                v,
                "this value is set by the component for TargetGroupBinding-only mode; use the controller options instead",
            ) &&
            p.check(
                ChartValueKeys.some(k => k === key),
                join(path, key),
                v,
                `chart ${ControllerChart.version} has no value ${JSON.stringify(key)} (the chart ignores unknown keys silently)`,
            ) &&
            dropped.length === 0
        ) {
            out[key] = v;
        }
    }
    return out;
};

/** `controller.additionalPolicyJson`: an IAM policy document that grants nothing more powerful than registering targets. */
export const policyJson: Reader<string> = (p, path, value) => {
    if (typeof value !== "string") {
        return void p.add(path, value, "expected an IAM policy document as a JSON string");
    }
    let doc: unknown;
    try {
        doc = JSON.parse(value);
    } catch {
        return void p.add(path, value, "expected valid JSON");
    }
    if (!isRecord(doc) || doc.Version !== "2012-10-17" || !Array.isArray(doc.Statement) || doc.Statement.length === 0) {
        return void p.add(path, value, 'expected { "Version": "2012-10-17", "Statement": [ ... ] }');
    }
    for (const [i, s] of doc.Statement.entries()) {
        const actions: unknown[] = isRecord(s) ? [s.Action ?? []].flat() : [];
        const forbidden = actions.find(a => typeof a === "string" && ForbiddenActionPatterns.some(re => re.test(a)));
        if (forbidden !== undefined) {
            return void p.add(
                `${path}.Statement[${i}]`,
                forbidden,
                'IAM actions, "*" and load balancer/target group creation or deletion are never granted to the controller',
            );
        }
    }
    return value;
};

/** `controller.roleArn`: a role you bring. */
const roleArn = text(RoleArnPattern, "expected an IAM role ARN");

/**
 * Checks `controller.roleArn` or `controller.additionalPolicyJson` once its
 * value is known (it may be another resource's output), with the message a
 * plain value gets.
 */
export function assertControllerInput(key: "roleArn" | "additionalPolicyJson", value: unknown, root = ""): string {
    const read = readOrThrow(key === "roleArn" ? roleArn : policyJson, join(join(root, "controller"), key), value);
    if (read === undefined) {
        throw new Error(`assertControllerInput: controller.${key} refused, and no problem was recorded`);
    }
    return read;
}

/** `controller`, as `ControllerArgs` declares it: its fields, defaults applied (the checks across them need the cluster's mode). */
export const controllerArgs = object("expected controller options { install, chartVersion, namespace, ... }", {
    install: withDefault(trueOrFalse, true),
    createRole: withDefault(trueOrFalse, true),
    roleArn: optional(input(roleArn)),
    chartVersion: optional(text(ChartVersionPattern, 'expected a chart version such as "3.5.0"')),
    namespace: withDefault(dns1123Label, ControllerDefaults.namespace),
    serviceAccountName: withDefault(dns1123Subdomain, ControllerDefaults.serviceAccountName),
    releaseName: withDefault(
        text(ReleaseNamePattern, "expected a Helm release name: at most 53 lower-case letters, digits and inner hyphens"),
        ControllerDefaults.releaseName,
    ),
    replicas: withDefault(integer(1, 10, "an integer"), ControllerDefaults.replicas),
    resources: optional(resources),
    extraValues: withDefault(chartValues, {}),
    additionalPolicyJson: optional(input(policyJson)),
} satisfies Record<keyof ControllerArgs, Reader<unknown>>);

/** The cluster's mode, which decides the oldest chart version that works. */
export interface ControllerMode {
    crossAccount: boolean;
    sharedVpc: boolean;
}

/**
 * `controller`: the installation (or the controller already there), its role,
 * chart version (old enough for the cluster's mode, and no newer than the
 * verified one unless an additional policy grants what it needs).
 */
export function readController(p: Problems, path: string, value: unknown, mode: ControllerMode): ResolvedController | undefined {
    const c = controllerArgs(p, path, value === undefined ? {} : value);
    if (c === undefined) {
        return undefined;
    }
    const before = p.count;
    // Given or not is known now, even when the value is an output.
    const given = (key: "roleArn" | "additionalPolicyJson"): boolean => isRecord(value) && value[key] !== undefined;
    if (given("roleArn") && c.createRole) {
        p.add(
            join(path, "roleArn"),
            isRecord(value) ? value.roleArn : undefined,
            "roleArn is for a role you bring: set createRole false, or drop roleArn",
        );
    } else if (!given("roleArn") && c.install && !c.createRole) {
        p.add(
            join(path, "roleArn"),
            undefined,
            "with createRole false and install true, give the role the controller's service account should use",
        );
    }
    const chartVersion = c.chartVersion ?? ControllerChart.version;
    if (c.chartVersion !== undefined) {
        checkChartVersion(p, join(path, "chartVersion"), c.chartVersion, {
            ...mode,
            install: c.install,
            additionalPolicy: given("additionalPolicyJson"),
        });
    }
    if (p.count > before) {
        return undefined;
    }
    return {
        install: c.install,
        createRole: c.createRole,
        roleArn: c.roleArn,
        chartVersion,
        namespace: c.namespace,
        serviceAccountName: c.serviceAccountName,
        releaseName: c.releaseName,
        replicas: c.replicas,
        extraValues: c.extraValues,
        additionalPolicyJson: c.additionalPolicyJson,
        resources:
            c.resources === undefined
                ? { requests: { ...DefaultControllerResources.requests }, limits: { ...DefaultControllerResources.limits } }
                : definedOnly(c.resources),
    };
}

/** A chart version applies only to an installed controller, at least what the cluster's mode needs, at most the verified one. */
function checkChartVersion(
    p: Problems,
    path: string,
    version: string,
    mode: ControllerMode & { install: boolean; additionalPolicy: boolean },
): void {
    if (!mode.install) {
        p.add(path, version, "a chart version applies only with install true");
    }
    for (const req of chartRequirements(mode)) {
        if (compareVersions(version, req.version) < 0) {
            p.add(path, version, `expected ${req.version} or newer: ${req.reason}`);
        }
    }
    if (compareVersions(version, ControllerChart.version) > 0 && !mode.additionalPolicy) {
        p.add(
            path,
            version,
            `the controller policy is verified up to chart ${ControllerChart.version}; ` +
                "use that version, or grant what the newer controller needs in controller.additionalPolicyJson",
        );
    }
}

/** Resources with the parts and quantities given (absent ones left out, as the chart values render them). */
function definedOnly(r: { requests?: ResourceListArgs; limits?: ResourceListArgs }): ResolvedController["resources"] {
    const list = (l: ResourceListArgs) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined));
    const out: ResolvedController["resources"] = {};
    if (r.requests !== undefined) {
        out.requests = list(r.requests);
    }
    if (r.limits !== undefined) {
        out.limits = list(r.limits);
    }
    return out;
}

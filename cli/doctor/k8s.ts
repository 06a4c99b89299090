import * as k8s from "@kubernetes/client-node";
import { NetworkOutputs, TargetGroupOutputs, shownExternalId } from "../../components/internal";
import { oneLine } from "./aws-clients";
import { DoctorError } from "./errors";
import { sortedEntries } from "./outputs";
import { Pool } from "./pool";
import { CheckResult, couldNotCheck, FailedRead, fail, pass, warn } from "./report";
import { Fetched } from "./snapshot";

/** Where the Kubernetes side of one cluster is, from the command line. */
export interface K8sTarget {
    kubeconfig: string;
    context?: string;
    cluster: string;
    controllerNamespace: string;
    controllerName: string;
}

/** The few fields of a Deployment the checks read. */
export interface LiveDeployment {
    replicas: number;
    availableReplicas: number;
    availableCondition?: { status: string; reason?: string; message?: string };
}

/** The few fields of a TargetGroupBinding the checks read. */
export interface LiveBinding {
    namespace: string;
    name: string;
    generation?: number;
    observedGeneration?: number;
    targetGroupARN?: string;
    targetGroupName?: string;
    serviceName?: string;
    servicePort?: number | string;
    iamRoleArnToAssume?: string;
    assumeRoleExternalId?: string;
}

/** The few fields of a Service the checks read. */
export interface LiveService {
    ports: Array<{ name?: string; port: number }>;
}

/** The Kubernetes state of one cluster as the doctor read it. */
export interface K8sSnapshot {
    server: string;
    controller: Fetched<LiveDeployment>;
    bindings: Fetched<LiveBinding[]>;
    /** Services by `namespace/name`. */
    services: Record<string, Fetched<LiveService>>;
    /** The reads that failed (404 aside), in order. */
    failedReads: FailedRead[];
}

/** Loads the kubeconfig and picks the context; bad files are a {@link DoctorError}. */
export function loadKubeConfig(path: string, context: string | undefined): k8s.KubeConfig {
    const kc = new k8s.KubeConfig();
    try {
        kc.loadFromFile(path);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new DoctorError(`cannot load kubeconfig ${JSON.stringify(path)}: ${code === "ENOENT" ? "no such file" : oneLine(err)}`);
    }
    if (context !== undefined) {
        const names = kc.getContexts().map(c => c.name);
        if (!names.includes(context)) {
            throw new DoctorError(
                `--context: got ${JSON.stringify(context)}; the kubeconfig has ${names.map(n => JSON.stringify(n)).join(", ") || "no contexts"}`,
            );
        }
        kc.setCurrentContext(context);
    }
    if (!kc.getCurrentCluster()) {
        throw new DoctorError(`kubeconfig ${JSON.stringify(path)} has no current context; pass --context NAME`);
    }
    return kc;
}

/** One Kubernetes read: 404 is `missing`; any other failure is `error` naming the request, and is kept in `failedReads`. */
async function read<T>(pool: Pool, failedReads: FailedRead[], call: string, subject: string, fn: () => Promise<T>): Promise<Fetched<T>> {
    try {
        return { state: "ok", value: await pool.run(fn) };
    } catch (err) {
        if (err instanceof k8s.ApiException && err.code === 404) {
            return { state: "missing" };
        }
        const error = err instanceof k8s.ApiException ? `HTTP ${err.code}: ${apiMessage(err)}` : oneLine(err);
        failedReads.push({ call, subject, error });
        return { state: "error", call, error };
    }
}

function apiMessage(err: k8s.ApiException<unknown>): string {
    const body = err.body;
    if (typeof body === "string") {
        try {
            const parsed = JSON.parse(body) as { message?: string };
            return parsed.message ?? body.slice(0, 200);
        } catch {
            return body.slice(0, 200);
        }
    }
    return (body as { message?: string } | undefined)?.message ?? "error";
}

function num(value: unknown): number | undefined {
    return typeof value === "number" ? value : undefined;
}

function str(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** Reads the controller deployment, every TargetGroupBinding and the Services they point at. */
export async function gatherK8s(kc: k8s.KubeConfig, target: K8sTarget, pool: Pool): Promise<K8sSnapshot> {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const failedReads: FailedRead[] = [];
    const deployment = `${target.controllerNamespace}/${target.controllerName}`;
    const [controller, bindings] = await Promise.all([
        read(pool, failedReads, "get deployments.apps", deployment, async (): Promise<LiveDeployment> => {
            const d = await apps.readNamespacedDeployment({ name: target.controllerName, namespace: target.controllerNamespace });
            const cond = d.status?.conditions?.find(c => c.type === "Available");
            return {
                replicas: d.spec?.replicas ?? 1,
                availableReplicas: d.status?.availableReplicas ?? 0,
                ...(cond
                    ? {
                          availableCondition: {
                              status: cond.status,
                              ...(cond.reason ? { reason: cond.reason } : {}),
                              ...(cond.message ? { message: cond.message } : {}),
                          },
                      }
                    : {}),
            };
        }),
        read(pool, failedReads, "list targetgroupbindings.elbv2.k8s.aws", "all namespaces", async (): Promise<LiveBinding[]> => {
            const list = (await custom.listClusterCustomObject({
                group: "elbv2.k8s.aws",
                version: "v1beta1",
                plural: "targetgroupbindings",
            })) as { items?: unknown[] };
            return (list.items ?? []).map(toBinding);
        }),
    ]);
    const services: Record<string, Fetched<LiveService>> = {};
    if (bindings.state === "ok") {
        const refs = [...new Set(bindings.value.filter(b => b.serviceName).map(b => `${b.namespace}/${b.serviceName}`))];
        await Promise.all(
            refs.map(async ref => {
                const [namespace, name] = ref.split("/");
                services[ref] = await read(pool, failedReads, "get services", ref, async (): Promise<LiveService> => {
                    const svc = await core.readNamespacedService({ name, namespace });
                    return { ports: (svc.spec?.ports ?? []).map(p => ({ port: p.port, ...(p.name ? { name: p.name } : {}) })) };
                });
            }),
        );
    }
    return { server: kc.getCurrentCluster()?.server ?? "", controller, bindings, services, failedReads };
}

function toBinding(item: unknown): LiveBinding {
    const o = (item ?? {}) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown>; status?: Record<string, unknown> };
    const spec = o.spec ?? {};
    const ref = (spec.serviceRef ?? {}) as Record<string, unknown>;
    const port = ref.port;
    return {
        namespace: str(o.metadata?.namespace) ?? "default",
        name: str(o.metadata?.name) ?? "",
        ...optional("generation", num(o.metadata?.generation)),
        ...optional("observedGeneration", num(o.status?.observedGeneration)),
        ...optional("targetGroupARN", str(spec.targetGroupARN)),
        ...optional("targetGroupName", str(spec.targetGroupName)),
        ...optional("serviceName", str(ref.name)),
        ...optional("servicePort", typeof port === "number" || typeof port === "string" ? port : undefined),
        ...optional("iamRoleArnToAssume", str(spec.iamRoleArnToAssume)),
        ...optional("assumeRoleExternalId", str(spec.assumeRoleExternalId)),
    };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
    return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * `k8s.controller`, `k8s.retiring`, `k8s.tgb.found`, `k8s.tgb.service`,
 * `k8s.tgb.reconciled`, `k8s.tgb.role` for one cluster, as a pure function
 * of the outputs and the Kubernetes snapshot. A retiring cluster is on its
 * way out: bindings it no longer has, and a controller removed with the
 * last of them, are what is expected; bindings it still has are reported.
 */
export function runK8sChecks(outputs: NetworkOutputs, target: K8sTarget, snap: K8sSnapshot): CheckResult[] {
    const cluster = outputs.clusters[target.cluster];
    const checked: ClusterChecked = {
        outputs,
        target,
        snap,
        cluster,
        key: target.cluster,
        retiring: cluster.retiring === true,
        left: bindingsLeft(cluster, snap.bindings),
    };
    return [controllerCheck(checked), ...retiringChecks(checked), ...targetGroupChecks(checked)];
}

/** One cluster as the Kubernetes checks see it. */
interface ClusterChecked {
    outputs: NetworkOutputs;
    target: K8sTarget;
    snap: K8sSnapshot;
    cluster: NetworkOutputs["clusters"][string];
    key: string;
    retiring: boolean;
    /** The cluster's bindings left (none when the CRD is gone; unknown when the list cannot be read). */
    left: LiveBinding[] | undefined;
}

/** Whether a binding points at the target group (by ARN, or by name when it gives no ARN). */
function binds(x: LiveBinding, tg: TargetGroupOutputs): boolean {
    return x.targetGroupARN === tg.arn || (!x.targetGroupARN && x.targetGroupName === tg.name);
}

/** The bindings that point at one of the cluster's target groups: none when the CRD is gone, unknown when the list cannot be read. */
function bindingsLeft(cluster: ClusterChecked["cluster"], b: K8sSnapshot["bindings"]): LiveBinding[] | undefined {
    return b.state === "ok"
        ? b.value.filter(x => Object.values(cluster.targetGroups).some(tg => binds(x, tg)))
        : b.state === "missing"
          ? []
          : undefined;
}

/** The fix for a Kubernetes read that failed. */
function kubeReadHint(server: string): string {
    return `check that ${server} answers (--kubeconfig, --context) and that the credentials may get the controller deployment, list targetgroupbindings.elbv2.k8s.aws in all namespaces and get services`;
}

/** `k8s.controller`: the controller deployment exists and is available (or is gone with a retiring cluster's last binding). */
function controllerCheck({ target, snap, key, retiring, left }: ClusterChecked): CheckResult {
    const deploy = `${key} ${target.controllerNamespace}/${target.controllerName}`;
    const c = snap.controller;
    if (c.state === "error") {
        return couldNotCheck("k8s.controller", deploy, c, kubeReadHint(snap.server));
    }
    if (retiring && c.state === "missing" && snap.bindings.state === "error") {
        // Gone is expected once a retiring cluster has no binding left; whether it has any is unknown.
        return couldNotCheck("k8s.controller", deploy, snap.bindings, kubeReadHint(snap.server));
    }
    if (retiring && c.state === "missing" && left !== undefined && left.length === 0) {
        return pass("k8s.controller", deploy, `not installed: cluster ${key} is retiring and has no TargetGroupBinding left`);
    } else if (c.state === "missing") {
        return fail(
            "k8s.controller",
            deploy,
            "the AWS Load Balancer Controller deployment does not exist: no target is registered or deregistered",
            `pulumi up -s cluster-${key}, or pass --controller-namespace/--controller-name if it runs elsewhere`,
        );
    } else if (c.value.availableReplicas >= 1 && c.value.availableCondition?.status !== "False") {
        return pass("k8s.controller", deploy, `available (${c.value.availableReplicas}/${c.value.replicas} replicas)`);
    }
    const why = c.value.availableCondition?.message ?? c.value.availableCondition?.reason ?? "no available replica";
    return fail(
        "k8s.controller",
        deploy,
        `not available (${c.value.availableReplicas}/${c.value.replicas} replicas): ${why}`,
        `kubectl -n ${target.controllerNamespace} describe deploy/${target.controllerName} and look at its pods' events and logs`,
    );
}

/** `k8s.retiring`: a retiring cluster can be removed from the network config once no binding points at its target groups. */
function retiringChecks({ snap, key, retiring, left }: ClusterChecked): CheckResult[] {
    if (!retiring) {
        return [];
    }
    if (left === undefined) {
        return snap.bindings.state === "error" ? [couldNotCheck("k8s.retiring", key, snap.bindings, kubeReadHint(snap.server))] : [];
    }
    return [
        left.length === 0
            ? pass(
                  "k8s.retiring",
                  key,
                  `cluster ${key} is retiring and no TargetGroupBinding points at its target groups: clusters.${key} can be removed from the network config`,
              )
            : warn(
                  "k8s.retiring",
                  key,
                  `cluster ${key} is retiring but ${left.length} TargetGroupBinding${left.length === 1 ? "" : "s"} still point${left.length === 1 ? "s" : ""} at its target groups ` +
                      `(${left.map(x => `${x.namespace}/${x.name}`).join(", ")}): removing clusters.${key} from the network config now would delete the target groups ` +
                      "and registrar role under them, and their finalizers would hang",
                  `pulumi destroy -s cluster-${key} (or delete the bindings while the controller still runs), run the doctor again, then remove clusters.${key} from the network config`,
              ),
    ];
}

/**
 * `k8s.tgb.*` for each of the cluster's target groups, by service name (a
 * retiring cluster's target groups no binding points at are skipped).
 */
function targetGroupChecks(checked: ClusterChecked): CheckResult[] {
    const { cluster, retiring, left } = checked;
    const out: CheckResult[] = [];
    for (const [service, tg] of sortedEntries(cluster.targetGroups)) {
        if (retiring && left !== undefined && !left.some(x => binds(x, tg))) {
            continue;
        }
        out.push(...bindingChecks(checked, service, tg));
    }
    return out;
}

/**
 * `k8s.tgb.found`, then for the binding found `k8s.tgb.service`,
 * `k8s.tgb.reconciled` and, for a cluster in another account, `k8s.tgb.role`.
 */
function bindingChecks({ outputs, target, snap, cluster, key }: ClusterChecked, service: string, tg: TargetGroupOutputs): CheckResult[] {
    const subject = `${key}/${service}`;
    const b = snap.bindings;
    if (b.state === "error") {
        const ids = [
            "k8s.tgb.found",
            "k8s.tgb.service",
            "k8s.tgb.reconciled",
            ...(cluster.accountId !== outputs.accountId ? (["k8s.tgb.role"] as const) : []),
        ] as const;
        return ids.map(id => couldNotCheck(id, subject, b, kubeReadHint(snap.server)));
    }
    if (b.state === "missing") {
        return [
            fail(
                "k8s.tgb.found",
                subject,
                "the TargetGroupBinding CRD is not installed",
                `pulumi up -s cluster-${key} (installs the controller's CRDs)`,
            ),
        ];
    }
    const matches = b.value.filter(x => binds(x, tg));
    if (matches.length === 0) {
        return [
            fail(
                "k8s.tgb.found",
                subject,
                `no TargetGroupBinding for target group ${tg.name}: its targets are never registered`,
                `pulumi up -s cluster-${key}, or shared-alb manifests and apply the TargetGroupBinding for ${service}`,
            ),
        ];
    }
    const tgb = matches[0];
    const where = `${subject} ${tgb.namespace}/${tgb.name}`;
    const out: CheckResult[] = [];
    out.push(
        matches.length > 1
            ? warn(
                  "k8s.tgb.found",
                  where,
                  `${matches.length} TargetGroupBindings point at ${tg.name} (${matches.map(m => `${m.namespace}/${m.name}`).join(", ")}); without multiClusterTargetGroup they deregister each other's targets`,
                  "delete the bindings the cluster stack does not manage",
              )
            : pass("k8s.tgb.found", where, `binds ${tg.name}`),
    );
    out.push(checkService(where, tgb, snap));
    out.push(checkReconciled(where, tgb, target));
    if (cluster.accountId !== outputs.accountId) {
        out.push(checkRole(where, tgb, cluster.registrarRoleArn, shownExternalId(cluster)));
    }
    return out;
}

/** `k8s.tgb.reconciled`: the controller has reconciled the binding's current generation. */
function checkReconciled(where: string, tgb: LiveBinding, target: K8sTarget): CheckResult {
    if (tgb.generation !== undefined && tgb.observedGeneration === tgb.generation) {
        return pass("k8s.tgb.reconciled", where, `reconciled (generation ${tgb.generation})`);
    }
    return fail(
        "k8s.tgb.reconciled",
        where,
        `not reconciled by the controller (generation ${tgb.generation ?? "?"}, observed ${tgb.observedGeneration ?? "never"})`,
        `kubectl -n ${tgb.namespace} describe targetgroupbinding ${tgb.name} and kubectl -n ${target.controllerNamespace} logs deploy/${target.controllerName}`,
    );
}

function checkService(where: string, tgb: LiveBinding, snap: K8sSnapshot): CheckResult {
    const ref = `${tgb.namespace}/${tgb.serviceName ?? "?"}`;
    const s = tgb.serviceName ? snap.services[`${tgb.namespace}/${tgb.serviceName}`] : undefined;
    if (!s || s.state === "missing") {
        return fail(
            "k8s.tgb.service",
            where,
            `Service ${ref} does not exist: the binding has nothing to register`,
            `create the Service or fix spec.serviceRef.name of ${tgb.namespace}/${tgb.name}`,
        );
    }
    if (s.state === "error") {
        return couldNotCheck("k8s.tgb.service", where, s, kubeReadHint(snap.server));
    }
    const port = tgb.servicePort;
    const found = s.value.ports.find(p => (typeof port === "number" ? p.port === port : p.name === port || String(p.port) === port));
    if (!found) {
        return fail(
            "k8s.tgb.service",
            where,
            `Service ${ref} has no port ${JSON.stringify(port)} (ports: ${s.value.ports.map(p => (p.name ? `${p.name}=${p.port}` : String(p.port))).join(", ") || "none"})`,
            `fix spec.serviceRef.port of ${tgb.namespace}/${tgb.name} or add the port to the Service`,
        );
    }
    return pass("k8s.tgb.service", where, `Service ${ref} port ${found.name ? `${found.name}=` : ""}${found.port}`);
}

function checkRole(where: string, tgb: LiveBinding, roleArn: string | undefined, externalId: string | undefined): CheckResult {
    const problems: string[] = [];
    if (tgb.iamRoleArnToAssume !== roleArn) {
        problems.push(`iamRoleArnToAssume is ${tgb.iamRoleArnToAssume ?? "unset"}, expected ${roleArn}`);
    }
    if (externalId !== undefined && tgb.assumeRoleExternalId !== externalId) {
        problems.push(
            tgb.assumeRoleExternalId ? "assumeRoleExternalId differs from the outputs' external ID" : "assumeRoleExternalId is unset",
        );
    }
    return problems.length > 0
        ? fail(
              "k8s.tgb.role",
              where,
              `cross-account binding: ${problems.join("; ")}: registration is refused`,
              "pulumi up -s cluster-" + where.split("/")[0] + " with the current network outputs",
          )
        : pass("k8s.tgb.role", where, `assumes ${roleArn}`);
}

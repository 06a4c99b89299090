import { NetworkOutputs } from "../../components/internal";
import { ParsedArgs, runCommand } from "../args";
import { InputError } from "../input-files";
import { CliIo } from "../io";
import { DoctorArgs, DoctorCommand, doctorArgs } from "./args";
import { createAwsClients, oneLine, requireCredentials } from "./aws-clients";
import { runAwsChecks } from "./aws-checks";
import { Caller, gatherAws } from "./aws-gather";
import { DoctorError } from "./errors";
import { gatherK8s, K8sTarget, loadKubeConfig, runK8sChecks } from "./k8s";
import { loadNetworkOutputs } from "./outputs";
import { Pool } from "./pool";
import { Progress, renderHuman, renderJson, useColor } from "./render";
import { CheckResult, exitCodeFor, Report, summarize } from "./report";

/**
 * `shared-alb doctor`: reads the network stack's outputs, checks the live
 * fleet through the AWS APIs (and optionally one cluster's Kubernetes side),
 * prints a report and returns the exit code: 0 no failed check, 1 at least
 * one failed check, 3 none failed but a check could not tell because a read
 * it needs failed, 2 the doctor could not run.
 *
 * @param argv the arguments after `doctor`
 * @param io the process streams, environment and working directory
 */
export function main(argv: string[], io: CliIo): Promise<number> {
    return runCommand(DoctorCommand, argv, io, args => run(args, io));
}

/** `shared-alb doctor` with its command line parsed (see {@link main}). */
export async function run(parsed: ParsedArgs, io: CliIo): Promise<number> {
    const args = doctorArgs(parsed, io.env);
    try {
        return await runChecks(args, io);
    } catch (err) {
        if (err instanceof DoctorError || err instanceof InputError) {
            io.stderr.write(`shared-alb doctor: ${err.message}\n`);
        } else {
            io.stderr.write(`shared-alb doctor: unexpected error: ${oneLine(err)}\n`);
            if (io.env.SHARED_ALB_DEBUG && err instanceof Error && err.stack) {
                io.stderr.write(`${err.stack}\n`);
            }
        }
        return 2;
    }
}

async function runChecks(args: DoctorArgs, io: CliIo): Promise<number> {
    const outputs = await loadNetworkOutputs(args.networkOutputs, io.cwd, io.stdin);

    const k8sTarget = k8sTargetOf(args, outputs);
    const kc = k8sTarget ? loadKubeConfig(k8sTarget.kubeconfig, k8sTarget.context) : undefined;

    const envRegion = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION;
    if (envRegion && envRegion !== outputs.region) {
        io.stderr.write(
            `shared-alb doctor: note: using the network stack's region ${outputs.region}, not ${envRegion} from the environment\n`,
        );
    }
    const clients = createAwsClients(io.env, outputs.region);
    const progress = new Progress(io.stderr, Boolean(io.stderr.isTTY));
    try {
        await requireCredentials(clients);
        const pool = new Pool(args.concurrency);
        pool.onProgress((done, total) => progress.update(done, total));
        const caller = new Caller(clients, pool);
        const [aws, kube] = await Promise.all([
            gatherAws(outputs, caller),
            kc && k8sTarget ? gatherK8s(kc, k8sTarget, pool) : Promise.resolve(undefined),
        ]);
        const checks: CheckResult[] = runAwsChecks(outputs, aws);
        if (kube && k8sTarget) {
            checks.push(...runK8sChecks(outputs, k8sTarget, kube));
        }
        progress.clear();
        const report: Report = { checks, summary: summarize(checks), failedReads: [...caller.failedReads, ...(kube?.failedReads ?? [])] };
        if (args.json) {
            io.stdout.write(renderJson(report));
        } else {
            const clusters = Object.keys(outputs.clusters).length;
            const services = Object.keys(outputs.services).length;
            const name =
                aws.loadBalancer.state === "ok" ? aws.loadBalancer.value.name : outputs.loadBalancer.name || outputs.loadBalancer.arn;
            const header = `shared-alb doctor: ${name} in ${outputs.region} (account ${outputs.accountId}), ${clusters} cluster${clusters === 1 ? "" : "s"}, ${services} service${services === 1 ? "" : "s"}${k8sTarget ? `, Kubernetes side of ${k8sTarget.cluster}` : ""}`;
            io.stdout.write(renderHuman(report, header, useColor(io.stdout, io.env)));
        }
        return exitCodeFor(report.summary);
    } finally {
        progress.clear();
        clients.elbv2.destroy();
        clients.ec2.destroy();
        clients.iam.destroy();
    }
}

/**
 * The cluster whose Kubernetes side to check (`--cluster`), with how to reach
 * it; undefined without `--cluster`. Throws `DoctorError` for a cluster the
 * outputs do not have.
 */
function k8sTargetOf(args: DoctorArgs, outputs: NetworkOutputs): K8sTarget | undefined {
    if (args.cluster === undefined) {
        return undefined;
    }
    if (!Object.prototype.hasOwnProperty.call(outputs.clusters, args.cluster)) {
        throw new DoctorError(
            `--cluster: got ${JSON.stringify(args.cluster)}; the outputs have clusters ${
                Object.keys(outputs.clusters)
                    .map(k => JSON.stringify(k))
                    .join(", ") || "(none)"
            }`,
        );
    }
    return {
        kubeconfig: args.kubeconfig as string,
        cluster: args.cluster,
        controllerNamespace: args.controllerNamespace,
        controllerName: args.controllerName,
        ...(args.context ? { context: args.context } : {}),
    };
}

import { CommandSpec, ParsedArgs, UsageError } from "../args";

/** Parsed `shared-alb doctor` arguments. */
export interface DoctorArgs {
    /** Path of the outputs JSON, or `-` for stdin. */
    networkOutputs: string;
    json: boolean;
    /** Parallel calls at most. @default 8 */
    concurrency: number;
    /** Kubernetes side: kubeconfig path (or `KUBECONFIG`). */
    kubeconfig?: string;
    /** Kubernetes side: context name. @default the kubeconfig's current context */
    context?: string;
    /** Kubernetes side: the cluster key in the outputs this kubeconfig reaches. */
    cluster?: string;
    /** @default "kube-system" */
    controllerNamespace: string;
    /** @default "aws-load-balancer-controller" */
    controllerName: string;
}

/** Usage text for `--help`. */
export const Usage = `Usage: shared-alb doctor --network-outputs FILE|- [options]

Checks a live shared-ALB fleet through the AWS APIs and says what is wrong.

Options:
  --network-outputs FILE|-   JSON of \`pulumi stack output --json --show-secrets -s network\` (- reads stdin);
                             without --show-secrets the external IDs are not compared
  --json                     machine-readable report on stdout
  --concurrency N            parallel AWS/Kubernetes calls, 1..64 (default 8)
  --cluster KEY              also check this cluster's Kubernetes side
  --kubeconfig PATH          kubeconfig for --cluster (default: $KUBECONFIG)
  --context NAME             kubeconfig context (default: current context)
  --controller-namespace NS  controller deployment namespace (default kube-system)
  --controller-name NAME     controller deployment name (default aws-load-balancer-controller)
  -h, --help                 this text

Exit codes: 0 no failed check, 1 at least one failed check, 2 the doctor could not run,
3 no failed check but some could not be checked (a read they need failed).
`;

/** `shared-alb doctor`: what it accepts. */
export const DoctorCommand: CommandSpec = {
    name: "doctor",
    summary: "check a live fleet through the AWS APIs and say what to fix",
    usage: Usage,
    options: [
        { name: "network-outputs", value: "FILE|-" },
        { name: "json" },
        { name: "concurrency", value: "N" },
        { name: "cluster", value: "KEY" },
        { name: "kubeconfig", value: "PATH" },
        { name: "context", value: "NAME" },
        { name: "controller-namespace", value: "NS" },
        { name: "controller-name", value: "NAME" },
    ],
    inputErrorExit: 2,
};

/** The doctor's arguments from the parsed command line; throws {@link UsageError} on a bad combination. */
export function doctorArgs(args: ParsedArgs, env: NodeJS.ProcessEnv): DoctorArgs {
    const value = (name: string) => args.options.get(name);
    const networkOutputs = value("network-outputs");
    if (networkOutputs === undefined) {
        throw new UsageError("--network-outputs FILE|- is required (the JSON of `pulumi stack output --json -s network`)");
    }
    let concurrency = 8;
    const rawConcurrency = value("concurrency");
    if (rawConcurrency !== undefined) {
        concurrency = Number(rawConcurrency);
        if (!/^\d+$/.test(rawConcurrency) || concurrency < 1 || concurrency > 64) {
            throw new UsageError(`--concurrency: got ${JSON.stringify(rawConcurrency)}; expected an integer from 1 to 64`);
        }
    }
    const cluster = value("cluster");
    const kubeconfig =
        value("kubeconfig") ?? (cluster ? env.KUBECONFIG?.split(process.platform === "win32" ? ";" : ":")[0] || undefined : undefined);
    if (cluster && !kubeconfig) {
        throw new UsageError("--cluster needs a kubeconfig: pass --kubeconfig PATH or set KUBECONFIG");
    }
    if (!cluster && (value("kubeconfig") || value("context"))) {
        throw new UsageError("--kubeconfig and --context need --cluster KEY (which cluster of the outputs the kubeconfig reaches)");
    }
    return {
        networkOutputs,
        json: args.flags.has("json"),
        concurrency,
        controllerNamespace: value("controller-namespace") ?? "kube-system",
        controllerName: value("controller-name") ?? "aws-load-balancer-controller",
        ...(kubeconfig ? { kubeconfig } : {}),
        ...(value("context") ? { context: value("context") } : {}),
        ...(cluster ? { cluster } : {}),
    };
}

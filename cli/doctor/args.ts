import { DoctorError } from "./errors";

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
    help: boolean;
}

/** Usage text for `--help` and argument errors. */
export const Usage = `Usage: shared-alb doctor --network-outputs FILE|- [options]

Checks a live shared-ALB fleet through the AWS APIs and says what is wrong.

Options:
  --network-outputs FILE|-   JSON of \`pulumi stack output --json -s network\` (- reads stdin)
  --json                     machine-readable report on stdout
  --concurrency N            parallel AWS/Kubernetes calls, 1..64 (default 8)
  --cluster KEY              also check this cluster's Kubernetes side
  --kubeconfig PATH          kubeconfig for --cluster (default: $KUBECONFIG)
  --context NAME             kubeconfig context (default: current context)
  --controller-namespace NS  controller deployment namespace (default kube-system)
  --controller-name NAME     controller deployment name (default aws-load-balancer-controller)
  -h, --help                 this text

Exit codes: 0 no failed check, 1 at least one failed check, 2 the doctor could not run.`;

const ValueFlags = ["--network-outputs", "--concurrency", "--kubeconfig", "--context", "--cluster", "--controller-namespace", "--controller-name"] as const;

/** Parses argv (the arguments after `doctor`). Throws {@link DoctorError} on bad input. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): DoctorArgs {
    const values: Partial<Record<(typeof ValueFlags)[number], string>> = {};
    let json = false;
    let help = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") {
            json = true;
            continue;
        }
        if (arg === "-h" || arg === "--help") {
            help = true;
            continue;
        }
        const eq = arg.indexOf("=");
        const name = (eq > 0 ? arg.slice(0, eq) : arg) as (typeof ValueFlags)[number];
        if (!ValueFlags.includes(name)) {
            throw new DoctorError(arg.startsWith("-")
                ? `unknown option ${arg}; see shared-alb doctor --help`
                : `unexpected argument ${JSON.stringify(arg)}; see shared-alb doctor --help`);
        }
        let value: string | undefined;
        if (eq > 0) {
            value = arg.slice(eq + 1);
        } else {
            value = argv[i + 1];
            i += 1;
            if (value === undefined || (value.startsWith("--") && value.length > 2)) {
                throw new DoctorError(`${name} needs a value; see shared-alb doctor --help`);
            }
        }
        if (value === "") {
            throw new DoctorError(`${name} needs a value; see shared-alb doctor --help`);
        }
        values[name] = value;
    }
    if (help) {
        return { networkOutputs: "", json, concurrency: 8, controllerNamespace: "kube-system", controllerName: "aws-load-balancer-controller", help };
    }
    if (!values["--network-outputs"]) {
        throw new DoctorError("--network-outputs FILE|- is required (the JSON of `pulumi stack output --json -s network`)");
    }
    let concurrency = 8;
    if (values["--concurrency"] !== undefined) {
        const raw = values["--concurrency"];
        concurrency = Number(raw);
        if (!/^\d+$/.test(raw) || concurrency < 1 || concurrency > 64) {
            throw new DoctorError(`--concurrency: got ${JSON.stringify(raw)}; expected an integer from 1 to 64`);
        }
    }
    const kubeconfig = values["--kubeconfig"] ?? (values["--cluster"] ? env.KUBECONFIG?.split(process.platform === "win32" ? ";" : ":")[0] || undefined : undefined);
    if (values["--cluster"] && !kubeconfig) {
        throw new DoctorError("--cluster needs a kubeconfig: pass --kubeconfig PATH or set KUBECONFIG");
    }
    if (!values["--cluster"] && (values["--kubeconfig"] || values["--context"])) {
        throw new DoctorError("--kubeconfig and --context need --cluster KEY (which cluster of the outputs the kubeconfig reaches)");
    }
    return {
        networkOutputs: values["--network-outputs"],
        json,
        concurrency,
        controllerNamespace: values["--controller-namespace"] ?? "kube-system",
        controllerName: values["--controller-name"] ?? "aws-load-balancer-controller",
        help,
        ...(kubeconfig ? { kubeconfig } : {}),
        ...(values["--context"] ? { context: values["--context"] } : {}),
        ...(values["--cluster"] ? { cluster: values["--cluster"] } : {}),
    };
}

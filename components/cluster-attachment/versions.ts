/**
 * The controller version this package is built and tested against. The
 * chart, its TargetGroupBinding CRD (crds/targetgroupbindings.yaml), the
 * Helm values (helm-values.ts) and the IAM policy (policy.ts) travel
 * together: change them together.
 */
export const ControllerChart = {
    /** Chart name in the eks-charts repository. */
    name: "aws-load-balancer-controller",
    /** The eks-charts Helm repository. */
    repository: "https://aws.github.io/eks-charts",
    /** Pinned chart version. */
    version: "3.5.0",
    /** The controller image the pinned chart runs. */
    appVersion: "v3.5.0",
} as const;

/** Why a chart version is needed, for error messages and docs. */
export interface ChartRequirement {
    version: string;
    reason: string;
}

/**
 * The oldest chart that can serve each mode:
 * - `crossAccount`: `spec.iamRoleArnToAssume` and `assumeRoleExternalId`
 *   exist from controller v2.12.0 (chart 1.12.0).
 * - `sharedVpc`: a cluster in subnets shared through AWS RAM needs the
 *   VPC-ownership fix of controller v2.13.0 (chart 1.13.0). A cross-account
 *   cluster behind the pet ALB always sits in the network account's shared
 *   subnets, so it needs both.
 */
export const MinimumChartVersion = {
    crossAccount: { version: "1.12.0", reason: "spec.iamRoleArnToAssume exists from controller v2.12.0 (chart 1.12.0)" },
    sharedVpc: { version: "1.13.0", reason: "clusters in RAM-shared subnets need controller v2.13.0 (chart 1.13.0)" },
} as const satisfies Record<string, ChartRequirement>;

/** A chart version as `major.minor.patch`. */
export const ChartVersionPattern = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Compares two `major.minor.patch` versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < 3; i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) {
            return d;
        }
    }
    return 0;
}

/**
 * The chart requirements for a cluster: none beyond the pinned chart for a
 * same-account cluster outside a shared VPC.
 */
export function chartRequirements(mode: { crossAccount: boolean; sharedVpc: boolean }): ChartRequirement[] {
    const out: ChartRequirement[] = [];
    if (mode.crossAccount) {
        out.push(MinimumChartVersion.crossAccount);
    }
    if (mode.crossAccount || mode.sharedVpc) {
        out.push(MinimumChartVersion.sharedVpc);
    }
    return out;
}

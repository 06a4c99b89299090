import {
    arnPartition,
    securityGroupArn,
    ClusterOutputs,
    NetworkOutputs,
    shownExternalId,
    AdditionalPolicyName,
    ControllerPolicyName,
    controllerPermissionsPolicy,
    ForbiddenActionPatterns,
    RegistrarPolicyName,
    registrarPermissions,
} from "../../components/internal";
import { unreadable } from "./aws-clients";
import { evaluateControllerTrust, evaluateTrust, isAllowed, TrustProblem } from "./iam-policy";
import { Envelope, envelopeOf, ExtrasAllowed, widenedGrants } from "./iam-widening";
import { sortedEntries } from "./outputs";
import { CheckResult, fail, pass, warn } from "./report";
import { Fetched, LivePolicy, LiveRole } from "./snapshot";

/** A finding about a role: a failure, or a warning. */
interface Finding {
    severity: "fail" | "warn";
    text: string;
}

/** The reads of a role's policies that failed, as one read for {@link couldNotCheck}. */
function unreadablePolicies(role: LiveRole): { call: string; error: string } | undefined {
    if (role.unreadable.length === 0) {
        return undefined;
    }
    return {
        call: [...new Set(role.unreadable.map(u => u.call))].join(", "),
        error: role.unreadable.map(u => `${u.name}: ${u.error}`).join("; "),
    };
}

/** `missing` permissions: the action on each resource, phrased as the check reports it. */
function missingPermissions(
    docs: LivePolicy["document"][],
    needs: Array<{ action: string; resources: Array<[string, string]> }>,
): Finding[] {
    const out: Finding[] = [];
    for (const need of needs) {
        const short = need.action.replace(/^elasticloadbalancing:/, "");
        const denied = need.resources.filter(([, resource]) => !isAllowed(docs, need.action, resource)).map(([label]) => label);
        if (denied.length > 0) {
            out.push({
                severity: "fail",
                text:
                    denied.length === 1 && denied[0] === "*"
                        ? `policy does not allow ${short} on "*"`
                        : `policy does not allow ${short} on the target group of ${denied.join(", ")}`,
            });
        }
    }
    return out;
}

/**
 * The fix for a role's failures: detach the attached policies and delete
 * the inline policies that widen it (a `pulumi up` does not remove them:
 * the stack manages only its own inline policy), then let the stack put
 * its trust and policy back.
 */
function roleHint(role: LiveRole, offending: readonly LivePolicy[], ownPolicies: readonly string[], restore: string): string {
    const steps: string[] = [];
    for (const p of offending) {
        if (p.kind === "managed") {
            steps.push(`aws iam detach-role-policy --role-name ${role.name} --policy-arn ${p.arn ?? p.name}`);
        } else if (!ownPolicies.includes(p.name)) {
            steps.push(`aws iam delete-role-policy --role-name ${role.name} --policy-name ${p.name}`);
        }
    }
    return [...steps, restore].join("; then ");
}

function trustFindings(problems: TrustProblem[]): Finding[] {
    return problems.map(t => ({ severity: t.severity, text: `trust policy ${t.text}` }));
}

/** `registrar.trust`: one result per cross-account cluster. */
export function checkRegistrars(outputs: NetworkOutputs, snap: { roles: Record<string, Fetched<LiveRole>> }): CheckResult[] {
    const out: CheckResult[] = [];
    for (const [key, c] of sortedEntries(outputs.clusters)) {
        if (c.accountId === outputs.accountId) {
            continue;
        }
        const roleArn = c.registrarRoleArn ?? "";
        const subject = `${key} ${roleArn}`;
        const f = snap.roles[roleArn];
        out.push(
            judgeFetchedRole(
                "registrar.trust",
                subject,
                f,
                () =>
                    fail(
                        "registrar.trust",
                        subject,
                        `registrar role for cross-account cluster ${key} does not exist: its controller cannot register targets`,
                        "pulumi up -s network to recreate the role, then restart the controller in the cluster",
                    ),
                role => judgeRegistrar(outputs, key, c, role, subject),
            ),
        );
    }
    return out;
}

/**
 * A role check on what was fetched: `missing` when the role does not exist,
 * an error result when the role or one of its policies could not be read
 * (never a pass), else `judge` on the role.
 */
function judgeFetchedRole(
    id: CheckResult["id"],
    subject: string,
    fetched: Fetched<LiveRole> | undefined,
    missing: () => CheckResult,
    judge: (role: LiveRole) => CheckResult,
): CheckResult {
    if (!fetched || fetched.state === "missing") {
        return missing();
    }
    if (fetched.state === "error") {
        return unreadable(id, subject, fetched);
    }
    const unread = unreadablePolicies(fetched.value);
    return unread ? unreadable(id, subject, unread) : judge(fetched.value);
}

function judgeRegistrar(outputs: NetworkOutputs, key: string, c: ClusterOutputs, role: LiveRole, subject: string): CheckResult {
    const externalId = shownExternalId(c);
    const tgs = sortedEntries(c.targetGroups);
    const docs = role.policies.map(p => p.document);
    const envelope = envelopeOf(registrarPermissions(tgs.map(([, tg]) => tg.arn)), {
        "elasticloadbalancing:RegisterTargets": `the target groups of cluster ${key}`,
        "elasticloadbalancing:DeregisterTargets": `the target groups of cluster ${key}`,
    });
    const widening = widenedGrants(role.policies, envelope);
    const findings: Finding[] = [
        ...trustFindings(evaluateTrust(role.trustPolicy, { accountId: c.accountId, controllerRoleArn: c.controllerRoleArn, externalId })),
        ...missingPermissions(docs, [
            ...["RegisterTargets", "DeregisterTargets"].map(a => ({
                action: `elasticloadbalancing:${a}`,
                resources: tgs.map(([svc, tg]): [string, string] => [svc, tg.arn]),
            })),
            ...["DescribeTargetGroups", "DescribeTargetHealth"].map(a => ({
                action: `elasticloadbalancing:${a}`,
                resources: [["*", "*"] as [string, string]],
            })),
        ]),
        ...widening.problems.map(text => ({ severity: "fail" as const, text })),
    ];
    const fails = findings.filter(p => p.severity === "fail");
    const warns = findings.filter(p => p.severity === "warn");
    if (fails.length > 0) {
        return fail(
            "registrar.trust",
            subject,
            [...fails, ...warns].map(p => p.text).join("; "),
            roleHint(
                role,
                widening.offending,
                [RegistrarPolicyName],
                `pulumi up -s network to restore the registrar role's trust and policy ${RegistrarPolicyName} (trust: account ${c.accountId}, aws:PrincipalArn ${c.controllerRoleArn}, sts:ExternalId from the outputs)`,
            ),
        );
    }
    if (warns.length > 0) {
        return warn(
            "registrar.trust",
            subject,
            warns.map(p => p.text).join("; "),
            "pass the outputs with secrets shown: pulumi stack output --json --show-secrets -s network",
        );
    }
    return pass(
        "registrar.trust",
        subject,
        `trusts ${c.controllerRoleArn} with the external ID; may register into ${tgs.length} target group${tgs.length === 1 ? "" : "s"} and nothing more`,
    );
}

/**
 * `controller.iam`: for each cluster in the network's own account, its
 * controller role (readable with the network account's credentials): the
 * IRSA trust and the TargetGroupBinding-only permissions, neither wider
 * than shared-alb writes them. Controller roles in other accounts are not
 * read.
 */
export function checkControllers(outputs: NetworkOutputs, snap: { controllerRoles: Record<string, Fetched<LiveRole>> }): CheckResult[] {
    const out: CheckResult[] = [];
    for (const [key, c] of sortedEntries(outputs.clusters)) {
        if (c.accountId !== outputs.accountId) {
            continue;
        }
        const subject = `${key} ${c.controllerRoleArn}`;
        const f = snap.controllerRoles[c.controllerRoleArn];
        out.push(
            judgeFetchedRole(
                "controller.iam",
                subject,
                f,
                () =>
                    warn(
                        "controller.iam",
                        subject,
                        `controller role of cluster ${key} does not exist: its controller cannot register targets, unless it runs with a role of its own`,
                        `pulumi up -s cluster-${key} creates it; with controller.createRole false, the role you bring is not checked`,
                    ),
                role => judgeController(outputs, key, c, role, subject),
            ),
        );
    }
    return out;
}

/** The additional inline policy may add actions, never those `controller.additionalPolicyJson` refuses. */
const AdditionalPolicy: ExtrasAllowed = {
    policyName: AdditionalPolicyName,
    forbidden: ForbiddenActionPatterns,
    declaredIn: "controller.additionalPolicyJson",
};

/**
 * What the controller role may be granted: the widest policy the cluster
 * stack writes (controller security-group mode, ip targets), its target
 * group actions scoped to the cluster's target groups and its security group
 * actions to node security groups of the cluster's account and region.
 */
function controllerEnvelope(outputs: NetworkOutputs, key: string, c: ClusterOutputs): Envelope {
    const tgs = sortedEntries(c.targetGroups);
    const partition = arnPartition(c.controllerRoleArn);
    const nodeGroup = (resource: string): boolean => {
        const id = /security-group\/(sg-[0-9a-f]+)$/.exec(resource)?.[1];
        return id !== undefined && resource === securityGroupArn(partition, outputs.region, c.accountId, id);
    };
    // The widest policy the cluster stack writes: controller security-group mode, ip targets.
    const built = controllerPermissionsPolicy({
        targetGroupArns: tgs.map(([, tg]) => tg.arn),
        securityGroupMode: "controller",
        nodeSecurityGroupArns: [],
        ipTargets: true,
    });
    const ownGroups = `the target groups of cluster ${key}`;
    const nodeGroups = `the node security groups of account ${c.accountId} in ${outputs.region}`;
    return envelopeOf(
        built,
        {
            "elasticloadbalancing:RegisterTargets": ownGroups,
            "elasticloadbalancing:DeregisterTargets": ownGroups,
            "ec2:AuthorizeSecurityGroupIngress": nodeGroups,
            "ec2:RevokeSecurityGroupIngress": nodeGroups,
        },
        { "ec2:AuthorizeSecurityGroupIngress": nodeGroup, "ec2:RevokeSecurityGroupIngress": nodeGroup },
    );
}

/** `controller.iam`: the controller role trusts its service account, has what it needs, and nothing wider than its envelope. */
function judgeController(outputs: NetworkOutputs, key: string, c: ClusterOutputs, role: LiveRole, subject: string): CheckResult {
    const tgs = sortedEntries(c.targetGroups);
    const envelope = controllerEnvelope(outputs, key, c);
    const widening = widenedGrants(role.policies, envelope, AdditionalPolicy);
    const describe = (action: string): { action: string; resources: Array<[string, string]> } => ({ action, resources: [["*", "*"]] });
    const findings: Finding[] = [
        ...trustFindings(evaluateControllerTrust(role.trustPolicy, c.accountId)),
        ...missingPermissions(
            role.policies.map(p => p.document),
            [
                ...["RegisterTargets", "DeregisterTargets"].map(a => ({
                    action: `elasticloadbalancing:${a}`,
                    resources: tgs.map(([svc, tg]): [string, string] => [svc, tg.arn]),
                })),
                ...[
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetHealth",
                    "ec2:DescribeVpcs",
                    "ec2:DescribeSecurityGroups",
                ].map(describe),
            ],
        ),
        ...widening.problems.map(text => ({ severity: "fail" as const, text })),
    ];
    if (findings.length > 0) {
        return fail(
            "controller.iam",
            subject,
            findings.map(p => p.text).join("; "),
            roleHint(
                role,
                widening.offending,
                [ControllerPolicyName, AdditionalPolicyName],
                `pulumi up -s cluster-${key} to restore the controller role's trust and policy ${ControllerPolicyName}`,
            ),
        );
    }
    const extras = widening.extras.length > 0 ? `; ${AdditionalPolicy.declaredIn} adds ${widening.extras.join(", ")}` : "";
    return pass(
        "controller.iam",
        subject,
        `trusts one service account through an OIDC provider of account ${c.accountId}; may register into ${tgs.length} target group${tgs.length === 1 ? "" : "s"}${extras}`,
    );
}

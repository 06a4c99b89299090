import { expect } from "chai";
import * as fc from "fast-check";
import { evaluate } from "@marcbachmann/cel-js";
import {
    AdmissionPolicyObjects,
    admissionPolicyManifests,
    PinnedTargetGroup,
    pinnedNamespacesExpression,
    servesAdmissionPolicy,
} from "../../components/cluster-attachment/admission-policy";
import { targetGroupBindingManifest } from "../../components/cluster-attachment/manifests";

const Web = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/green-web-1a30dff7/0a1b2c3d4e5f6071";
const Api = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/green-api-649cdb2a/1a2b3c4d5e6f7081";
const Foreign = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/payments/9f8e7d6c5b4a3921";
const Fleet: PinnedTargetGroup[] = [
    { targetGroupArn: Web, namespace: "shop" },
    { targetGroupArn: Api, namespace: "api-team" },
];

describe("cluster-attachment admission policy: the objects", () => {
    const objects = admissionPolicyManifests(Fleet);

    it("is a ValidatingAdmissionPolicy on every served version of TargetGroupBinding, creates and updates only, failing closed", () => {
        expect(objects.ValidatingAdmissionPolicy).to.deep.equal({
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicy",
            metadata: { name: "shared-alb-targetgroupbindings", labels: { "app.kubernetes.io/part-of": "shared-alb" } },
            spec: {
                failurePolicy: "Fail",
                matchConstraints: {
                    resourceRules: [
                        {
                            apiGroups: ["elbv2.k8s.aws"],
                            apiVersions: ["*"],
                            operations: ["CREATE", "UPDATE"],
                            resources: ["targetgroupbindings"],
                        },
                    ],
                },
                matchConditions: [{ name: "not-being-deleted", expression: "!has(object.metadata.deletionTimestamp)" }],
                variables: [
                    { name: "pinnedNamespaces", expression: `{"${Api}": "api-team", "${Web}": "shop"}` },
                    {
                        name: "targetGroupARN",
                        expression: 'has(object.spec) && has(object.spec.targetGroupARN) ? object.spec.targetGroupARN : ""',
                    },
                ],
                validations: [
                    {
                        expression: "variables.targetGroupARN in variables.pinnedNamespaces",
                        messageExpression:
                            '"TargetGroupBinding " + request.namespace + "/" + object.metadata.name + ": " + ' +
                            '(variables.targetGroupARN == "" ? "spec.targetGroupARN is not set" : "target group " + variables.targetGroupARN' +
                            ' + " is not one of the shared-alb target groups of this cluster")',
                        reason: "Forbidden",
                    },
                    {
                        expression:
                            "!(variables.targetGroupARN in variables.pinnedNamespaces) " +
                            "|| variables.pinnedNamespaces[variables.targetGroupARN] == request.namespace",
                        messageExpression:
                            '"TargetGroupBinding " + request.namespace + "/" + object.metadata.name + ": target group " ' +
                            '+ variables.targetGroupARN + " may be bound only in namespace " + variables.pinnedNamespaces[variables.targetGroupARN]',
                        reason: "Forbidden",
                    },
                ],
            },
        });
    });

    it("is bound cluster-wide with Deny", () => {
        expect(objects.ValidatingAdmissionPolicyBinding).to.deep.equal({
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { name: "shared-alb-targetgroupbindings", labels: { "app.kubernetes.io/part-of": "shared-alb" } },
            spec: { policyName: "shared-alb-targetgroupbindings", validationActions: ["Deny"] },
        });
    });

    it("lists the target groups sorted by ARN, whatever the order of the bindings", () => {
        expect(pinnedNamespacesExpression([...Fleet].reverse())).to.equal(pinnedNamespacesExpression(Fleet));
        expect(pinnedNamespacesExpression([])).to.equal("{}");
    });
});

/** An admission request for a TargetGroupBinding, as the API server hands it to the policy (after mutating admission). */
interface Request {
    operation: "CREATE" | "UPDATE" | "DELETE";
    namespace: string;
    object: Record<string, unknown> | null;
}

/**
 * The API server's decision, computed by evaluating the policy's own CEL
 * expressions (matchConditions, variables, validations and their
 * messageExpressions, with a CEL evaluator, @marcbachmann/cel-js) after
 * matching its resource rules and its binding as the API server does. Not a
 * reimplementation of the decision: the expression text is what runs.
 */
function admit(objects: AdmissionPolicyObjects, request: Request): string {
    const policy = objects.ValidatingAdmissionPolicy.spec;
    const binding = objects.ValidatingAdmissionPolicyBinding.spec;
    expect(binding.policyName).to.equal(objects.ValidatingAdmissionPolicy.metadata.name);
    const matched = policy.matchConstraints.resourceRules.some(
        r =>
            r.apiGroups.includes("elbv2.k8s.aws") &&
            r.resources.includes("targetgroupbindings") &&
            r.apiVersions.includes("*") &&
            r.operations.includes(request.operation),
    );
    const context: Record<string, unknown> = {
        object: request.object,
        request: { namespace: request.namespace, operation: request.operation },
    };
    if (!matched || !policy.matchConditions.every(c => evaluate(c.expression, context) === true)) {
        return "not checked";
    }
    const variables: Record<string, unknown> = {};
    for (const v of policy.variables) {
        variables[v.name] = evaluate(v.expression, { ...context, variables });
    }
    const denied = policy.validations
        .filter(v => evaluate(v.expression, { ...context, variables }) !== true)
        .map(v => String(evaluate(v.messageExpression, { ...context, variables })));
    return denied.length === 0 ? "allowed" : `${binding.validationActions.join(",")}: ${denied.join("; ")}`;
}

/** A TargetGroupBinding as the controller's mutating webhook leaves it on create: by ARN, or by name resolved to its ARN. */
function tgb(namespace: string, spec: { arn?: string; name?: string }, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const object = targetGroupBindingManifest({
        serviceKey: "web",
        name: "web",
        namespace,
        serviceName: "web",
        servicePort: 80,
        targetGroupArn: spec.arn ?? "",
        targetGroupProtocol: "HTTP",
        targetType: "ip",
        ipAddressType: "ipv4",
        vpcId: "vpc-0a1b2c3d4e5f60718",
        multiClusterTargetGroup: false,
    }) as unknown as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    const rest: Record<string, unknown> = { ...object.spec };
    if (spec.arn === undefined) {
        delete rest.targetGroupARN;
    }
    return {
        ...object,
        metadata: { ...object.metadata, ...extra },
        spec: { ...rest, ...(spec.name ? { targetGroupName: spec.name } : {}) },
    };
}

describe("cluster-attachment admission policy: decisions (the policy's CEL, evaluated)", () => {
    const objects = admissionPolicyManifests(Fleet);
    const deleting = { deletionTimestamp: "2026-12-07T21:00:00Z", finalizers: ["elbv2.k8s.aws/resources"] };
    const table: [string, Request, string][] = [
        [
            "the fleet's target group in its namespace",
            { operation: "CREATE", namespace: "shop", object: tgb("shop", { arn: Web }) },
            "allowed",
        ],
        [
            "the other target group in its own namespace",
            { operation: "CREATE", namespace: "api-team", object: tgb("api-team", { arn: Api }) },
            "allowed",
        ],
        [
            "the fleet's target group in another namespace",
            { operation: "CREATE", namespace: "attacker", object: tgb("attacker", { arn: Web }) },
            `Deny: TargetGroupBinding attacker/web: target group ${Web} may be bound only in namespace shop`,
        ],
        [
            "one fleet target group in the other's namespace",
            { operation: "CREATE", namespace: "shop", object: tgb("shop", { arn: Api }) },
            `Deny: TargetGroupBinding shop/web: target group ${Api} may be bound only in namespace api-team`,
        ],
        [
            "a target group that is not the fleet's",
            { operation: "CREATE", namespace: "shop", object: tgb("shop", { arn: Foreign }) },
            `Deny: TargetGroupBinding shop/web: target group ${Foreign} is not one of the shared-alb target groups of this cluster`,
        ],
        [
            "by name, resolved by the controller's webhook to the fleet's ARN, in its namespace",
            { operation: "CREATE", namespace: "shop", object: tgb("shop", { arn: Web, name: "green-web-1a30dff7" }) },
            "allowed",
        ],
        [
            "by name, resolved to the fleet's ARN, in another namespace",
            { operation: "CREATE", namespace: "attacker", object: tgb("attacker", { arn: Web, name: "green-web-1a30dff7" }) },
            `Deny: TargetGroupBinding attacker/web: target group ${Web} may be bound only in namespace shop`,
        ],
        [
            "by name only (no ARN: the webhook did not resolve it)",
            { operation: "CREATE", namespace: "shop", object: tgb("shop", { name: "green-web-1a30dff7" }) },
            "Deny: TargetGroupBinding shop/web: spec.targetGroupARN is not set",
        ],
        [
            "no spec at all",
            {
                operation: "CREATE",
                namespace: "shop",
                object: { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "x" } },
            },
            "Deny: TargetGroupBinding shop/x: spec.targetGroupARN is not set",
        ],
        [
            "an update of a binding in the wrong namespace",
            { operation: "UPDATE", namespace: "attacker", object: tgb("attacker", { arn: Web }) },
            `Deny: TargetGroupBinding attacker/web: target group ${Web} may be bound only in namespace shop`,
        ],
        [
            "the finalizer's removal from a foreign binding being deleted",
            { operation: "UPDATE", namespace: "attacker", object: tgb("attacker", { arn: Foreign }, deleting) },
            "not checked",
        ],
        [
            "the finalizer's removal from a misplaced binding being deleted",
            { operation: "UPDATE", namespace: "attacker", object: tgb("attacker", { arn: Web }, deleting) },
            "not checked",
        ],
        ["a delete", { operation: "DELETE", namespace: "attacker", object: null }, "not checked"],
    ];
    for (const [what, request, decision] of table) {
        it(what, () => expect(admit(objects, request)).to.equal(decision));
    }

    it("any fleet: a binding is allowed exactly in its target group's namespace, and a target group outside the fleet never", () => {
        const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
        const arn = fc
            .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/), fc.stringMatching(/^[0-9a-f]{16}$/))
            .map(([name, id]) => `arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/${name}/${id}`);
        const fleet = fc.uniqueArray(fc.record({ targetGroupArn: arn, namespace: label }), {
            minLength: 1,
            maxLength: 6,
            selector: t => t.targetGroupArn,
        });
        fc.assert(
            fc.property(fleet, arn, label, fc.nat(), (pinned, other, namespace, pick) => {
                const policy = admissionPolicyManifests(pinned);
                const chosen = pinned[pick % pinned.length];
                const decide = (tg: string, ns: string) =>
                    admit(policy, { operation: "CREATE", namespace: ns, object: tgb(ns, { arn: tg }) });
                expect(decide(chosen.targetGroupArn, chosen.namespace)).to.equal("allowed");
                expect(decide(chosen.targetGroupArn, namespace) === "allowed").to.equal(namespace === chosen.namespace);
                expect(decide(other, namespace) === "allowed").to.equal(
                    pinned.some(t => t.targetGroupArn === other && t.namespace === namespace),
                );
            }),
            { numRuns: 150 },
        );
    });
});

describe("cluster-attachment admission policy: the Kubernetes versions that serve it", () => {
    const table: [string, boolean | undefined][] = [
        ["1.29", false],
        ["1.30", true],
        ["1.33", true],
        ["1.100", true],
        ["2.0", true],
        ["0.31", false],
        ["v1.29.3-eks-ae9a62a", false],
        ["v1.30.0", true],
        ["1.30.14+k3s1", true],
        ["latest", undefined],
        ["", undefined],
    ];
    for (const [version, serves] of table) {
        it(`${JSON.stringify(version)}: ${serves}`, () => expect(servesAdmissionPolicy(version)).to.equal(serves));
    }
});

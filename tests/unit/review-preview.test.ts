import { expect } from "chai";
import { readPreview, UnknownStringValue, UnknownText } from "../../cli/review/preview";

const stack = "urn:pulumi:network::shop::pulumi:pulumi:Stack::shop-network";
const tgUrn = "urn:pulumi:network::shop::aws:lb/targetGroup:TargetGroup::web";
const newTgUrn = "urn:pulumi:network::shop::aws:lb/targetGroup:TargetGroup::api";
const ruleUrn = "urn:pulumi:network::shop::aws:lb/listenerRule:ListenerRule::web";
const bindingUrn = "urn:pulumi:network::shop::kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding::web";
const provider = "urn:pulumi:network::shop::pulumi:providers:aws::default_7_0_0::0b6f8d5e-4a51-4c3e-9d0e-2f3a1b7c9e11";
const oldArn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web-1/0123456789abcdef";

/**
 * A preview as `pulumi preview --json --show-sames --show-replacement-steps`
 * writes it: the target group replaced (create first: its delete-replaced step
 * comes last), a new target group created, the rule updated to forward to both
 * (their new ARNs unknown), a binding replaced by deleting first (its
 * delete-replaced step before its create-replacement), a secret input.
 */
function preview(): Record<string, unknown> {
    const tgOld = {
        urn: tgUrn,
        custom: true,
        id: oldArn,
        type: "aws:lb/targetGroup:TargetGroup",
        inputs: { port: 8080, name: "web-1" },
        outputs: { arn: oldArn, port: 8080 },
        provider,
    };
    const tgNew = { urn: tgUrn, custom: true, type: "aws:lb/targetGroup:TargetGroup", inputs: { port: 9090, name: "web-2" }, provider };
    const ruleOld = {
        urn: ruleUrn,
        custom: true,
        id: "rule-id-1",
        type: "aws:lb/listenerRule:ListenerRule",
        provider,
        inputs: {
            priority: 100,
            actions: [{ type: "forward", forward: { targetGroups: [{ arn: oldArn, weight: 100 }] } }],
            tags: { token: "[secret]" },
        },
        outputs: { arn: "arn:rule-1" },
    };
    const ruleNew = {
        urn: ruleUrn,
        custom: true,
        type: "aws:lb/listenerRule:ListenerRule",
        provider,
        propertyDependencies: { actions: [tgUrn, newTgUrn] },
        inputs: {
            priority: 100,
            actions: [
                {
                    type: "forward",
                    forward: {
                        targetGroups: [
                            { arn: UnknownStringValue, weight: 100 },
                            { arn: UnknownStringValue, weight: 0 },
                        ],
                    },
                },
            ],
            tags: { token: "[secret]" },
        },
    };
    const bindingOld = {
        urn: bindingUrn,
        custom: true,
        id: "shop/web",
        type: bindingUrn.split("::")[2],
        inputs: { spec: { targetGroupARN: oldArn } },
        replaceOnChanges: ["spec.targetGroupARN"],
    };
    const bindingNew = { ...bindingOld, id: undefined, inputs: { spec: { targetGroupARN: UnknownStringValue } } };
    const diff = (paths: string[]) => Object.fromEntries(paths.map(p => [p, { kind: "update", inputDiff: true }]));
    return {
        config: { "aws:region": "eu-west-1", "shop:token": "[secret]" },
        steps: [
            {
                op: "same",
                urn: stack,
                oldState: { urn: stack, type: "pulumi:pulumi:Stack", outputs: { region: "eu-west-1" } },
                newState: { urn: stack, type: "pulumi:pulumi:Stack" },
                detailedDiff: null,
            },
            {
                op: "create-replacement",
                urn: tgUrn,
                oldState: tgOld,
                newState: tgNew,
                replaceReasons: ["name", "port"],
                diffReasons: ["name", "port"],
                detailedDiff: diff(["name", "port"]),
            },
            {
                op: "replace",
                urn: tgUrn,
                oldState: tgOld,
                newState: tgNew,
                replaceReasons: ["name", "port"],
                diffReasons: ["name", "port"],
                detailedDiff: diff(["name", "port"]),
            },
            {
                op: "create",
                urn: newTgUrn,
                newState: { urn: newTgUrn, custom: true, type: "aws:lb/targetGroup:TargetGroup", inputs: { port: 9000 } },
                detailedDiff: null,
            },
            {
                op: "update",
                urn: ruleUrn,
                oldState: ruleOld,
                newState: ruleNew,
                diffReasons: ["actions"],
                detailedDiff: diff(["actions[0].forward.targetGroups"]),
            },
            { op: "delete-replaced", urn: bindingUrn, oldState: bindingOld, detailedDiff: null },
            {
                op: "replace",
                urn: bindingUrn,
                oldState: bindingOld,
                newState: bindingNew,
                replaceReasons: ["spec"],
                detailedDiff: diff(["spec.targetGroupARN"]),
            },
            {
                op: "create-replacement",
                urn: bindingUrn,
                oldState: bindingOld,
                newState: bindingNew,
                replaceReasons: ["spec"],
                detailedDiff: diff(["spec.targetGroupARN"]),
            },
            { op: "delete-replaced", urn: tgUrn, oldState: tgOld, detailedDiff: null },
        ],
        duration: 1_500_000_000,
        changeSummary: { create: 1, replace: 2, same: 1, update: 1 },
    };
}

describe("review: a pulumi preview --json document as BEFORE, AFTER and the engine's changes", () => {
    const read = readPreview(JSON.stringify(preview()), "p.json");

    it("takes the stack and project from the root Stack URN and the change kinds from the ops (delete-before-replace from the step order)", () => {
        expect([read.before.stack, read.before.project, read.before.format, read.before.file]).to.deep.equal([
            "network",
            "shop",
            "preview",
            "p.json",
        ]);
        expect(read.changes.map(c => [c.kind, c.name, c.paths, c.replaceOn, c.deleteBeforeReplace])).to.deep.equal([
            ["replace", "web", ["name", "port"], ["name", "port"], false],
            ["create", "api", [], [], false],
            ["update", "web", ["actions[0].forward.targetGroups"], [], false],
            ["replace", "web", ["spec.targetGroupARN"], ["spec"], true],
        ]);
    });

    it("BEFORE from the old states (IDs, outputs, options), the root Stack's outputs as the stack outputs", () => {
        expect(read.before.resources.map(r => [r.name, r.type, r.id, r.outputs, r.provider, r.replaceOnChanges])).to.deep.equal([
            ["web", "aws:lb/targetGroup:TargetGroup", oldArn, { arn: oldArn, port: 8080 }, undefined, []],
            ["web", "aws:lb/listenerRule:ListenerRule", "rule-id-1", { arn: "arn:rule-1" }, undefined, []],
            ["web", "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", "shop/web", {}, undefined, ["spec.targetGroupARN"]],
        ]);
        expect(read.before.outputs).to.deep.equal({ region: "eu-west-1" });
    });

    it("AFTER: a kept resource keeps its ID and outputs; an unknown ARN names its target group by URN (same place in BEFORE, else propertyDependencies)", () => {
        const after = new Map(read.after.resources.map(r => [r.urn, r]));
        expect(after.get(ruleUrn)!.inputs).to.deep.equal({
            priority: 100,
            actions: [
                {
                    type: "forward",
                    forward: {
                        targetGroups: [
                            { arn: `<new arn of ${tgUrn}>`, weight: 100 },
                            { arn: `<new arn of ${newTgUrn}>`, weight: 0 },
                        ],
                    },
                },
            ],
            tags: { token: "[secret]" },
        });
        expect([after.get(ruleUrn)!.id, after.get(ruleUrn)!.outputs]).to.deep.equal(["rule-id-1", { arn: "arn:rule-1" }]);
        expect([after.get(tgUrn)!.id, after.get(tgUrn)!.outputs]).to.deep.equal([undefined, { arn: `<new arn of ${tgUrn}>` }]);
        expect([after.get(newTgUrn)!.id, after.get(newTgUrn)!.outputs]).to.deep.equal([undefined, { arn: `<new arn of ${newTgUrn}>` }]);
    });

    it('an unknown it cannot tie to one resource reads [unknown]; a secret stays "[secret]" and never names a resource', () => {
        const doc = preview() as { steps: Record<string, any>[] };
        const rule = doc.steps[4];
        rule.newState.propertyDependencies = { actions: [tgUrn, newTgUrn] };
        rule.oldState.inputs.actions[0].forward.targetGroups[0].arn = "[secret]";
        const after = readPreview(JSON.stringify(doc), "p.json").after.resources.find(r => r.urn === ruleUrn)!;
        expect((after.inputs.actions as any)[0].forward.targetGroups.map((t: { arn: string }) => t.arn)).to.deep.equal([
            UnknownText,
            UnknownText,
        ]);
        expect(after.inputs.tags).to.deep.equal({ token: "[secret]" });
    });
});

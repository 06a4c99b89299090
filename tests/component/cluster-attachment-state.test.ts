import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { run } from "../harness";
import { attachmentProgram, NetworkAccount } from "./cluster-attachment-fixtures";

/** The mock monitor's record of what each resource registered (its state, as `pulumi stack export` would hold it). */
interface MonitorRecords {
    resources: Map<string, { urn: string; state: { toJavaScript?(): Record<string, unknown> } | Record<string, unknown> }>;
}

describe("ClusterAttachment state", () => {
    it("holds the CRD once, as the CRD resource: the component's registered outputs leave the manifests out", async () => {
        let monitor: MonitorRecords | undefined;
        const program = attachmentProgram("green");
        const r = await run(
            () => {
                monitor = pulumi.runtime.getMonitor() as unknown as MonitorRecords;
                return program();
            },
            { accountId: NetworkAccount },
        );
        const component = r.get("shared-alb:index:ClusterAttachment", "green");
        const state = monitor!.resources.get(component.urn)!.state;
        const outputs = typeof state.toJavaScript === "function" ? state.toJavaScript() : state;
        expect(Object.keys(outputs).sort()).to.deep.equal([
            "bindings",
            "controllerRoleArn",
            "controllerRoleName",
            "helmValues",
            "releaseName",
            "releaseNamespace",
            "securityGroupRuleIds",
            "serviceAccount",
        ]);
        // The property still has everything a GitOps user applies, the CRD included.
        expect(Object.keys(r.outputs.manifests).sort()).to.deep.equal([
            "admissionPolicy",
            "chart",
            "crds",
            "helmValues",
            "namespaces",
            "targetGroupBindings",
        ]);
        expect(r.get("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch", "green-tgb-crd").inputs.spec).to.deep.equal(
            r.outputs.manifests.crds["targetgroupbindings.elbv2.k8s.aws"].spec,
        );
    });
});

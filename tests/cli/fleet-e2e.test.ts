import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { main as manifests } from "../../cli/manifests/command";
import { main as plan } from "../../cli/plan/command";
import { SecretPlaceholder } from "../../cli/plan/config";
import { planFleet } from "../../cli/plan/fleet";
import { JsonPlan, JsonResource } from "../../cli/plan/render";
import * as pulumi from "@pulumi/pulumi";
import { ClusterOutputs, NetworkOutputs } from "../../components/internal/contract";
import { runRole } from "../../stacks/programs";
import { documentedOutputs, showsExactLines } from "./documented";
import { captureIo } from "./helpers";

// The real stack programs (stacks/programs.ts) over the example fleet in stacks/config.
const root = path.resolve(__dirname, "../..");

async function planJson(argv: string[] = []): Promise<{ text: string; doc: JsonPlan }> {
    const io = captureIo(root);
    const code = await plan(["--json", ...argv], io);
    expect(io.err()).to.equal("");
    expect(code).to.equal(0);
    return { text: io.out(), doc: JSON.parse(io.out()) as JsonPlan };
}

/** Blue's external ID as the network stack plans it (the fake cloud's random.RandomPassword), in clear. */
async function blueExternalId(): Promise<string> {
    const fleet = await planFleet({ configDir: path.join(root, "stacks", "config"), stack: "network" });
    const id = (fleet.stacks[0].outputs as unknown as NetworkOutputs).clusters.blue.externalId;
    expect(id).to.match(/^[A-Za-z0-9]{32}$/);
    return id!;
}

function tgbs(
    resources: JsonResource[],
): Record<string, { targetGroupARN: string; iamRoleArnToAssume?: string; assumeRoleExternalId?: string }> {
    return Object.fromEntries(
        resources
            .filter(r => r.type === "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")
            .map(r => [(r.inputs as { metadata: { name: string } }).metadata.name, (r.inputs as { spec: never }).spec]),
    );
}

describe("shared-alb plan and manifests over the example fleet (stacks/config)", function () {
    this.timeout(120000);

    it("plans network first, then the clusters, feeding them the network's planned outputs", async () => {
        const { doc } = await planJson();
        expect(doc.stacks.map(s => [s.stack, s.role])).to.deep.equal([
            ["network", "network"],
            ["cluster-blue", "cluster"],
            ["cluster-green", "cluster"],
        ]);
        const network = doc.stacks[0].outputs as NetworkOutputs;
        const lb = doc.stacks[0].resources.filter(r => r.type === "aws:lb/loadBalancer:LoadBalancer");
        expect(lb.map(r => r.options.protect)).to.deep.equal([true]);

        const blue = tgbs(doc.stacks[1].resources);
        expect(blue["shared-alb-web"].targetGroupARN).to.equal(network.clusters.blue.targetGroups.web.arn);
        expect(blue["shared-alb-api"].targetGroupARN).to.equal(network.clusters.blue.targetGroups.api.arn);
        expect(blue["shared-alb-web"].iamRoleArnToAssume).to.equal(network.clusters.blue.registrarRoleArn);
        // The external ID is a secret wherever it is: in the network outputs, alone, and in the bindings' spec, alone.
        expect([network.clusters.blue.externalId, blue["shared-alb-web"].assumeRoleExternalId]).to.deep.equal(["[secret]", "[secret]"]);
        const registrar = doc.stacks[0].resources.find(r => r.name === "shared-alb-registrar-blue" && r.type === "aws:iam/role:Role")!;
        expect((registrar.inputs as Record<string, unknown>).assumeRolePolicy).to.equal("[secret]");
        expect(JSON.stringify(doc)).to.not.include(await blueExternalId());
        const green = tgbs(doc.stacks[2].resources);
        expect(green["shared-alb-web"].targetGroupARN).to.equal(network.clusters.green.targetGroups.web.arn);
        expect(green["shared-alb-web"].iamRoleArnToAssume).to.equal(undefined);
        // The created cluster's kubeconfig is a secret output.
        expect((doc.stacks[1].outputs as Record<string, unknown>).kubeconfig).to.equal("[secret]");
        // The controller role is named as the network stack expects.
        expect((doc.stacks[1].outputs as Record<string, unknown>).controllerRoleArn).to.equal(network.clusters.blue.controllerRoleArn);
    });

    it("prints the same plan twice, and --stack prints only that stack", async () => {
        const a = await planJson();
        const b = await planJson();
        expect(a.text).to.equal(b.text);
        const one = await planJson(["--stack", "cluster-green"]);
        expect(one.doc.stacks.map(s => s.stack)).to.deep.equal(["cluster-green"]);
        expect(one.doc.stacks[0]).to.deep.equal(a.doc.stacks[2]);
        const tree = captureIo(root);
        expect(await plan([], tree)).to.equal(0);
        expect(tree.out()).to.match(/^ {5}├─ LoadBalancer shared-alb-alb {2}\[protected\] {2}name="shop-edge"/m);
        expect(tree.out()).to.match(/^fleet: 3 stacks, \d+ resources \(.*\), 1 protected$/m);
    });

    it("shows the rules in evaluation order, each with its conditions next to its priority and weight-0 clusters in its forward", async () => {
        const tree = captureIo(root);
        expect(await plan(["--stack", "network"], tree)).to.equal(0);
        const lines = tree.out().split("\n");
        expect(lines.filter(l => l.includes("ListenerRule "))).to.deep.equal([
            "     ├─ ListenerRule shared-alb-preview-api-blue  priority=31743  when=[path=/api/* x-shared-alb-cluster=blue source=203.0.113.0/24]  forward=[blue:1]",
            "     ├─ ListenerRule shared-alb-preview-api-green  priority=31744  when=[path=/api/* x-shared-alb-cluster=green source=203.0.113.0/24]  forward=[green:1]",
            "     ├─ ListenerRule shared-alb-rule-api  priority=31750  when=[path=/api/*]  forward=[blue:100 green:0]",
            "     ├─ ListenerRule shared-alb-preview-web-blue  priority=44013  when=[host=shop.example.com x-shared-alb-cluster=blue source=203.0.113.0/24]  forward=[blue:1]",
            "     ├─ ListenerRule shared-alb-preview-web-green  priority=44014  when=[host=shop.example.com x-shared-alb-cluster=green source=203.0.113.0/24]  forward=[green:1]",
            "     ├─ ListenerRule shared-alb-rule-web  priority=44020  when=[host=shop.example.com]  forward=[blue:100 green:0]",
        ]);
        expect(lines.filter(l => l.includes("SecurityGroupEgressRule "))).to.deep.equal([
            '     ├─ SecurityGroupEgressRule shared-alb-out-8080  fromPort=8080  toPort=8080  ipProtocol="tcp"  cidrIpv4="10.0.0.0/16"  description="targets on 8080: web (ip: traffic and health checks)"',
            '     ├─ SecurityGroupEgressRule shared-alb-out-9000  fromPort=9000  toPort=9000  ipProtocol="tcp"  cidrIpv4="10.0.0.0/16"  description="targets on 9000: api (ip: traffic and health checks)"',
        ]);
    });

    it("is what the README and docs/cli.md show (every block marked <!-- plan: example -->, exact lines)", async () => {
        const tree = captureIo(root);
        expect(await plan([], tree)).to.equal(0);
        const shown = ["README.md", "docs/cli.md"].map(
            file => [file, documentedOutputs(path.join(root, file), "plan").get("example") ?? []] as const,
        );
        expect(shown.map(([file, blocks]) => [file, blocks.length > 0])).to.deep.equal([
            ["README.md", true],
            ["docs/cli.md", true],
        ]);
        for (const [file, blocks] of shown) {
            for (const lines of blocks) {
                expect(showsExactLines(lines, tree.out()), file).to.deep.equal({ ok: true });
            }
        }
    });

    it("attaches every cluster's target group of every service to some rule, so each is health-checked", async () => {
        const { doc } = await planJson(["--stack", "network"]);
        const resources = doc.stacks[0].resources;
        const arns = resources
            .filter(r => r.type === "aws:lb/targetGroup:TargetGroup")
            .map(r => (r.outputs as { arn: string }).arn)
            .sort();
        const forwarded = new Set(
            resources
                .filter(r => r.type === "aws:lb/listenerRule:ListenerRule")
                .flatMap(r => (r.inputs as { actions: Array<{ forward?: { targetGroups: Array<{ arn: string }> } }> }).actions)
                .flatMap(a => a.forward?.targetGroups.map(t => t.arn) ?? []),
        );
        expect(arns).to.have.length(4);
        expect(arns.filter(a => !forwarded.has(a))).to.deep.equal([]);
    });

    it("serves the network's clusters to a cluster stack as a secret output, as the engine does: getOutputDetails gives it as secretValue", async () => {
        const fleet = await planFleet({
            configDir: path.join(root, "stacks", "config"),
            stack: "cluster-blue",
            program: async () => {
                if (new pulumi.Config("alb-fleet").require("role") === "network") {
                    return runRole();
                }
                const network = new pulumi.StackReference("network");
                const clusters = await network.getOutputDetails("clusters");
                const region = await network.getOutputDetails("region");
                const read = (clusters.value ?? clusters.secretValue) as Record<string, ClusterOutputs>;
                return { clustersInValue: clusters.value !== undefined, region: region.value, blueExternalId: read.blue.externalId };
            },
        });
        expect(fleet.stacks[0].outputs).to.deep.equal({
            clustersInValue: false,
            region: "eu-west-1",
            blueExternalId: await blueExternalId(),
        });
    });

    it("plans a secure: preview token offline, showing the preview rules' header values as [secret] only", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-token-"));
        for (const f of fs.readdirSync(path.join(root, "stacks", "config"))) {
            fs.copyFileSync(path.join(root, "stacks", "config", f), path.join(dir, f));
        }
        const file = path.join(dir, "Pulumi.network.yaml");
        fs.writeFileSync(
            file,
            fs
                .readFileSync(file, "utf8")
                .replace(
                    "      sourceCidrs: [203.0.113.0/24]\n",
                    "      sourceCidrs: [203.0.113.0/24]\n      token:\n        secure: v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
                ),
        );
        const io = captureIo(root);
        expect(await plan(["--config-dir", dir, "--stack", "network"], io)).to.equal(0);
        const lines = io.out().split("\n");
        expect(lines[1]).to.equal(
            "  note: secure values cannot be decrypted offline; planned with a placeholder: alb-fleet:network.preview.token",
        );
        expect(lines.filter(l => l.includes("ListenerRule shared-alb-preview-api"))).to.deep.equal([
            "     ├─ ListenerRule shared-alb-preview-api-blue  priority=31743  when=[path=/api/* x-shared-alb-cluster=[secret] source=203.0.113.0/24]  forward=[blue:1]",
            "     ├─ ListenerRule shared-alb-preview-api-green  priority=31744  when=[path=/api/* x-shared-alb-cluster=[secret] source=203.0.113.0/24]  forward=[green:1]",
        ]);
        const json = captureIo(root);
        expect(await plan(["--json", "--config-dir", dir, "--stack", "network"], json)).to.equal(0);
        expect(json.out()).to.not.include(SecretPlaceholder);
        const doc = JSON.parse(json.out()) as JsonPlan;
        expect((doc.stacks[0].outputs as NetworkOutputs).preview).to.deep.include({ tokenRequired: true, sourceCidrs: ["203.0.113.0/24"] });
    });

    it("manifests writes every cluster's YAML with the planned, or the given, network ARNs", async () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-e2e-"));
        const io = captureIo(root);
        expect(await manifests(["--out", out, "--allow-planned"], io)).to.equal(0);
        expect(io.err()).to.equal(
            "note: cluster-blue: these files contain values marked secret; keep them out of plain Git (use SOPS or Sealed Secrets)\n" +
                "warning: the files carry placeholder ARNs from the offline plan (--allow-planned): review them, do not apply them\n",
        );
        const files = [
            "admission-policy.yaml",
            "controller-chart.yaml",
            "controller-values.yaml",
            "crds.yaml",
            "namespaces.yaml",
            "targetgroupbindings.yaml",
        ];
        expect(fs.readdirSync(path.join(out, "cluster-blue")).sort()).to.deep.equal(files);
        expect(fs.readdirSync(path.join(out, "cluster-green")).sort()).to.deep.equal(files);
        const { doc } = await planJson();
        const network = doc.stacks[0].outputs as NetworkOutputs;
        const read = (stack: string, file: string) =>
            parseAllDocuments(fs.readFileSync(path.join(out, stack, file), "utf8")).map(d => d.toJS() as Record<string, any>);
        const blue = read("cluster-blue", "targetgroupbindings.yaml");
        expect(blue.map(d => [d.kind, d.metadata.name, d.spec.targetGroupARN])).to.deep.equal([
            ["TargetGroupBinding", "shared-alb-api", network.clusters.blue.targetGroups.api.arn],
            ["TargetGroupBinding", "shared-alb-web", network.clusters.blue.targetGroups.web.arn],
        ]);
        // The controller reads the external ID from the spec: the files carry it in clear.
        expect(blue.map(d => d.spec.assumeRoleExternalId)).to.deep.equal([await blueExternalId(), await blueExternalId()]);
        expect(read("cluster-blue", "controller-values.yaml")[0].clusterName).to.equal("blue");
        expect(read("cluster-green", "namespaces.yaml").map(d => [d.kind, d.metadata.name])).to.deep.equal([["Namespace", "shop"]]);
        expect(
            read("cluster-green", "crds.yaml").map(d => [d.kind, d.metadata.name, d.spec.versions.map((v: { name: string }) => v.name)]),
        ).to.deep.equal([["CustomResourceDefinition", "targetgroupbindings.elbv2.k8s.aws", ["v1alpha1", "v1beta1"]]]);
        // The policy first, then its binding; green's target groups pinned to "shop".
        const policy = read("cluster-green", "admission-policy.yaml");
        expect(policy.map(d => [d.apiVersion, d.kind, d.metadata.name])).to.deep.equal([
            ["admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "shared-alb-targetgroupbindings"],
            ["admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "shared-alb-targetgroupbindings"],
        ]);
        expect(policy[0].spec.variables[0].expression).to.equal(
            `{"${network.clusters.green.targetGroups.api.arn}": "shop", "${network.clusters.green.targetGroups.web.arn}": "shop"}`,
        );

        // The real network outputs replace the planned ones.
        const real = JSON.parse(JSON.stringify(network)) as NetworkOutputs;
        // As `pulumi stack output --json --show-secrets` gives it.
        real.clusters.blue.externalId = await blueExternalId();
        real.clusters.green.targetGroups.web.arn =
            "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/green-web-real/0123456789abcdef";
        fs.writeFileSync(path.join(out, "network.json"), JSON.stringify(real));
        const io2 = captureIo(root);
        expect(
            await manifests(["--out", out, "--stack", "cluster-green", "--network-outputs", path.join(out, "network.json")], io2),
        ).to.equal(0);
        expect(io2.err()).to.equal("");
        expect(read("cluster-green", "targetgroupbindings.yaml").map(d => d.spec.targetGroupARN)).to.deep.equal([
            network.clusters.green.targetGroups.api.arn,
            real.clusters.green.targetGroups.web.arn,
        ]);
        expect(
            fs
                .readFileSync(path.join(out, "cluster-green", "targetgroupbindings.yaml"), "utf8")
                .split("\n")
                .slice(0, 2),
        ).to.deep.equal([
            "# Generated by `shared-alb manifests` from stack cluster-green; change the stack config, not this file.",
            `# ARNs from: the network stack's outputs in ${path.join(out, "network.json")}.`,
        ]);
        // cluster-blue was not written again: its files still say they hold placeholders.
        expect(fs.readFileSync(path.join(out, "cluster-blue", "targetgroupbindings.yaml"), "utf8")).to.match(/^# PLACEHOLDER: /);
    });
});

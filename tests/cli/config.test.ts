import { expect } from "chai";
import * as path from "path";
import { KnownRoles, SecretPlaceholder, loadStackConfigs, shortStackName } from "../../cli/plan/config";
import { Roles } from "../../stacks/programs";
import { configDir } from "./helpers";

describe("cli/plan/config loadStackConfigs", () => {
    it("knows exactly the roles stacks/programs.ts runs", () => {
        expect([...KnownRoles]).to.deep.equal([...Roles]);
    });

    it("passes structured values as JSON strings and scalars as strings, keys sorted", () => {
        const dir = configDir({
            network: `config:
  aws:region: eu-west-1
  alb-fleet:role: network
  alb-fleet:count: 3
  alb-fleet:enabled: true
  plainKey: hello
  alb-fleet:network:
    accountId: "111111111111"
    subnetIds: [subnet-a, subnet-b]
    loadBalancer: { name: shop, internal: false }
`,
        });
        const { stacks, problems } = loadStackConfigs(dir);
        expect(problems).to.deep.equal([]);
        expect(stacks).to.have.length(1);
        const s = stacks[0];
        expect(s.stack).to.equal("network");
        expect(s.file).to.equal(path.join(dir, "Pulumi.network.yaml"));
        expect(s.role).to.equal("network");
        expect(s.accountId).to.equal("111111111111");
        expect(s.region).to.equal("eu-west-1");
        expect(s.config).to.deep.equal({
            "alb-fleet:count": "3",
            "alb-fleet:enabled": "true",
            "alb-fleet:network":
                '{"accountId":"111111111111","subnetIds":["subnet-a","subnet-b"],"loadBalancer":{"name":"shop","internal":false}}',
            "alb-fleet:plainKey": "hello",
            "alb-fleet:role": "network",
            "aws:region": "eu-west-1",
        });
        expect(s.secretKeys).to.deep.equal([]);
    });

    it("replaces secure values with a placeholder and lists their keys as secret", () => {
        const dir = configDir({
            "cluster-blue": `config:
  aws:region: eu-west-1
  alb-fleet:role: cluster
  alb-fleet:token:
    secure: v1:abc
  alb-fleet:cluster:
    accountId: "222222222222"
    networkStack: org/alb-fleet/network
    webhook:
      key:
        secure: v1:def
`,
        });
        const { stacks, problems } = loadStackConfigs(dir);
        expect(problems).to.deep.equal([]);
        const s = stacks[0];
        expect(s.config["alb-fleet:token"]).to.equal(SecretPlaceholder);
        expect(JSON.parse(s.config["alb-fleet:cluster"])).to.deep.equal({
            accountId: "222222222222",
            networkStack: "org/alb-fleet/network",
            webhook: { key: SecretPlaceholder },
        });
        expect(s.secretKeys).to.deep.equal(["alb-fleet:cluster", "alb-fleet:token"]);
        expect(s.securePaths).to.deep.equal(["alb-fleet:cluster.webhook.key", "alb-fleet:token"]);
        expect(s.networkStack).to.equal("org/alb-fleet/network");
        expect(shortStackName(s.networkStack!)).to.equal("network");
    });

    const bad: [string, string, string][] = [
        // The parser's whole message, with the line it points at.
        [
            "not YAML",
            "config:\n  a: [\n  b: 1\n",
            "not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] " +
                "at line 3, column 3:\n\n  a: [\n  b: 1\n  ^",
        ],
        ["no config map", "foo: 1\n", "expected a top-level `config:` map of `<project>:<key>` to values"],
        ["no role", "config:\n  aws:region: eu-west-1\n", 'alb-fleet:role is missing; expected one of "network", "cluster"'],
        [
            "unknown role",
            "config:\n  aws:region: eu-west-1\n  alb-fleet:role: dns\n",
            'alb-fleet:role: got "dns"; expected one of "network", "cluster"',
        ],
        [
            "no structured key",
            "config:\n  aws:region: eu-west-1\n  alb-fleet:role: cluster\n",
            "alb-fleet:cluster is missing; a cluster stack needs its settings under this key",
        ],
        [
            "structured key not a map",
            "config:\n  aws:region: eu-west-1\n  alb-fleet:role: network\n  alb-fleet:network: 5\n",
            "alb-fleet:network: expected a map of settings, got 5",
        ],
        [
            "no region",
            'config:\n  alb-fleet:role: network\n  alb-fleet:network: { accountId: "111111111111" }\n',
            'aws:region is missing; expected an AWS region such as "eu-west-1"',
        ],
    ];
    for (const [what, text, message] of bad) {
        it(`reports a bad file naming file and key: ${what}`, () => {
            const dir = configDir({ broken: text });
            const { stacks, problems } = loadStackConfigs(dir);
            expect(stacks).to.deep.equal([]);
            expect(problems).to.have.length(1);
            expect(problems[0].file).to.equal(path.join(dir, "Pulumi.broken.yaml"));
            expect(problems[0].stack).to.equal("broken");
            expect(problems[0].message).to.equal(message);
        });
    }

    it("reports an empty or missing directory", () => {
        const empty = configDir({});
        expect(loadStackConfigs(empty).problems).to.deep.equal([
            { file: empty, message: "no Pulumi.<stack>.yaml files in the config directory" },
        ]);
        const missing = path.join(empty, "nope");
        expect(loadStackConfigs(missing).problems).to.deep.equal([
            { file: missing, message: "cannot read the config directory: no such file" },
        ]);
    });
});

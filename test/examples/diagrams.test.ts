import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { EXAMPLES } from '../../examples';
import { newApp } from '../helpers';

/*
 * Each example stack has an architecture diagram in README.md: a line `<!-- diagram: <stack id> -->`
 * followed by a ```mermaid block. Every node and subgraph of the diagram names what it stands for in a
 * Mermaid comment of its own, `%% <node id>: <CloudFormation types>` (or `%% <node id>: external` for
 * what the stack does not create: the internet, your workloads, a public registry). The tests keep the
 * picture in step with the template: each named type exists in the example's template, and each
 * architecture-level type of the template is in the picture.
 */

/** The types a reader of an architecture diagram must see when the template has them. */
const ARCHITECTURE_TYPES = [
  'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::NatGateway', 'AWS::EC2::VPCEndpoint', 'AWS::EC2::FlowLog',
  'AWS::ECR::Repository',
  'AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::ECS::CapacityProvider', 'AWS::AutoScaling::AutoScalingGroup',
  'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::WAFv2::WebACL', 'AWS::S3::Bucket', 'AWS::CloudWatch::Alarm',
  'AWS::EKS::Cluster', 'AWS::EKS::Nodegroup', 'AWS::EKS::FargateProfile', 'AWS::EKS::Addon', 'AWS::EKS::AccessEntry',
  'Custom::AWSCDK-EKS-HelmChart', 'AWS::EFS::FileSystem',
  'AWS::KMS::Key', 'AWS::Logs::LogGroup',
];

const README = path.join(__dirname, '..', '..', 'README.md');

interface Diagram {
  /** Node and subgraph ids declared in the flowchart. */
  readonly nodes: Set<string>;
  /** What each `%% <id>: ...` line maps a node to. */
  readonly mapped: Map<string, string[]>;
}

/** The diagram of each example id in the README. */
function readmeDiagrams(markdown: string): Map<string, Diagram> {
  const diagrams = new Map<string, Diagram>();
  const marker = /<!-- diagram: (\S+) -->\s*\n```mermaid\n([\s\S]*?)\n```/g;
  for (const [, id, body] of markdown.matchAll(marker)) {
    const nodes = new Set<string>();
    const mapped = new Map<string, string[]>();
    for (const line of body.split('\n')) {
      const comment = /^\s*%%\s*([A-Za-z]\w*):\s*(.+)$/.exec(line);
      if (comment) {
        mapped.set(comment[1], comment[2].trim().split(/\s+/));
        continue;
      }
      if (/^\s*%%/.test(line)) continue;
      // Labels are quoted; a node is an id right before a shape's opening bracket.
      const code = line.replace(/"[^"]*"/g, '""').replace(/\|[^|]*\|/g, '');
      const subgraph = /^\s*subgraph\s+([A-Za-z]\w*)/.exec(code);
      if (subgraph) {
        nodes.add(subgraph[1]);
        continue;
      }
      for (const m of code.matchAll(/(?:^|[\s&>-])([A-Za-z]\w*)(?=\[|\(|\{|>")/g)) {
        nodes.add(m[1]);
      }
    }
    diagrams.set(id, { nodes, mapped });
  }
  return diagrams;
}

const diagrams = readmeDiagrams(fs.readFileSync(README, 'utf8'));

// Every example in one App (validation off, see test/setup-env.js), each template read once.
const app = newApp();
const stacks = EXAMPLES.map((e) => ({ id: e.id, stack: e.create(app, e.id) }));
const typesOf = new Map(stacks.map(({ id, stack }) => {
  const resources: Record<string, { Type: string }> = Template.fromStack(stack).toJSON().Resources ?? {};
  return [id, new Set(Object.values(resources).map((r) => r.Type))];
}));

describe.each(EXAMPLES.map((e) => e.id))('the README diagram of example %s', (id) => {
  const types = () => typesOf.get(id)!;
  const howToAdd = () => [
    `README.md has no architecture diagram of example ${id}. Add, in the section that describes it:`,
    `<!-- diagram: ${id} -->`,
    '```mermaid',
    'flowchart LR',
    '  <nodes and edges of what the stack creates>',
    '  %% <node id>: <CloudFormation types the node stands for> (or: external)',
    '```',
    `with a %% line per node and subgraph; the architecture types of its template are: ${ARCHITECTURE_TYPES.filter((t) => types().has(t)).join(' ')}`,
  ].join('\n');

  test('exists', () => {
    if (!diagrams.has(id)) throw new Error(howToAdd());
    expect(diagrams.get(id)!.nodes.size).toBeGreaterThan(0);
  });

  test('says what each node and subgraph stands for, in a %% <node>: <types> line', () => {
    const diagram = diagrams.get(id);
    if (!diagram) throw new Error(howToAdd());
    expect([...diagram.nodes].filter((n) => !diagram.mapped.has(n))).toEqual([]);
    expect([...diagram.mapped.keys()].filter((n) => !diagram.nodes.has(n))).toEqual([]);
  });

  test('shows only resource types the example creates', () => {
    const diagram = diagrams.get(id);
    if (!diagram) throw new Error(howToAdd());
    const named = [...diagram.mapped.values()].flat().filter((t) => t !== 'external');
    expect(named.filter((t) => !types().has(t))).toEqual([]);
  });

  test('shows every architecture-level resource type the example creates', () => {
    const diagram = diagrams.get(id);
    if (!diagram) throw new Error(howToAdd());
    const named = new Set([...diagram.mapped.values()].flat());
    expect(ARCHITECTURE_TYPES.filter((t) => types().has(t) && !named.has(t))).toEqual([]);
  });
});

describe('README diagrams', () => {
  test('each diagram belongs to an example of examples/index.ts', () => {
    expect([...diagrams.keys()].filter((id) => !EXAMPLES.some((e) => e.id === id))).toEqual([]);
  });

  test('a node without a %% line is found', () => {
    const parsed = readmeDiagrams('<!-- diagram: X -->\n```mermaid\nflowchart LR\n  a["A"] --> b[("B")]\n  %% a: AWS::EC2::VPC\n```');
    const diagram = parsed.get('X')!;
    expect([...diagram.nodes].filter((n) => !diagram.mapped.has(n))).toEqual(['b']);
  });
});

import { dependencies, describePath, DurationOf, estimateDeploy, Template } from '../../bench/deploy-estimate';
import { durationOf } from '../../bench/deploy-durations';

/** Seconds per type for the hand-built templates below; deletion takes half as long. */
const SECONDS: Record<string, number> = { 'Test::Slow': 100, 'Test::Medium': 30, 'Test::Fast': 10, 'AWS::EKS::Cluster': 600, 'AWS::EKS::FargateProfile': 150 };
const byType: DurationOf = (r, phase) => SECONDS[r.Type] / (phase === 'create' ? 1 : 2);

/**
 * Root (fast) feeds two branches: A (slow) through an explicit DependsOn, and B (medium) through a Ref;
 * C (fast) needs both, through Fn::GetAtt on A and Fn::Sub on B. D (medium) only needs Root.
 * The longest chain is Root → A → C: 10 + 100 + 10.
 */
const DIAMOND: Template = {
  Resources: {
    Root: { Type: 'Test::Fast' },
    A: { Type: 'Test::Slow', DependsOn: 'Root' },
    B: { Type: 'Test::Medium', Properties: { Parent: { Ref: 'Root' }, Region: { Ref: 'AWS::Region' } } },
    C: { Type: 'Test::Fast', Properties: { Arn: { 'Fn::GetAtt': ['A', 'Arn'] }, Name: { 'Fn::Sub': 'x-${B}-${AWS::Region}-${!Literal}' } } },
    D: { Type: 'Test::Medium', Properties: { Items: [{ 'Fn::Sub': ['${Var}', { Var: { Ref: 'Root' } }] }] } },
  },
};

describe('deploy-time estimate', () => {
  test('finds explicit and implicit dependencies and ignores pseudo parameters and Sub escapes', () => {
    const deps = dependencies(DIAMOND);
    expect([...deps.get('A')!]).toEqual(['Root']);
    expect([...deps.get('B')!]).toEqual(['Root']);
    expect([...deps.get('C')!].sort()).toEqual(['A', 'B']);
    expect([...deps.get('D')!]).toEqual(['Root']);
  });

  test('takes the longest dependency chain at creation', () => {
    const estimate = estimateDeploy(DIAMOND, 'create', byType);
    expect(estimate.seconds).toBe(120);
    expect(estimate.path.map((s) => s.id)).toEqual(['Root', 'A', 'C']);
    expect(estimate.path.map((s) => s.finishesAt)).toEqual([10, 110, 120]);
  });

  test('walks the graph backwards at deletion', () => {
    const estimate = estimateDeploy(DIAMOND, 'delete', byType);
    // C goes first, then A (and B), then Root: 5 + 50 + 5.
    expect(estimate.seconds).toBe(60);
    expect(estimate.path.map((s) => s.id)).toEqual(['C', 'A', 'Root']);
  });

  test('creates and deletes the Fargate profiles of a cluster one at a time without a stated dependency', () => {
    const template: Template = {
      Resources: {
        Cluster: { Type: 'AWS::EKS::Cluster' },
        ProfileA: { Type: 'AWS::EKS::FargateProfile', Properties: { ClusterName: { Ref: 'Cluster' } } },
        ProfileB: { Type: 'AWS::EKS::FargateProfile', Properties: { ClusterName: { Ref: 'Cluster' } } },
        ProfileC: { Type: 'AWS::EKS::FargateProfile', Properties: { ClusterName: { Ref: 'Cluster' } } },
      },
    };
    const create = estimateDeploy(template, 'create', byType);
    expect(create.seconds).toBe(600 + 3 * 150);
    expect(create.path.map((s) => s.id)).toEqual(['Cluster', 'ProfileA', 'ProfileB', 'ProfileC']);
    const del = estimateDeploy(template, 'delete', byType);
    expect(del.seconds).toBe((3 * 150 + 600) / 2);
  });

  test('runs Fargate profiles of different clusters in parallel', () => {
    const template: Template = {
      Resources: {
        One: { Type: 'AWS::EKS::Cluster' },
        Two: { Type: 'AWS::EKS::Cluster' },
        ProfileOne: { Type: 'AWS::EKS::FargateProfile', Properties: { ClusterName: { Ref: 'One' } } },
        ProfileTwo: { Type: 'AWS::EKS::FargateProfile', Properties: { ClusterName: { Ref: 'Two' } } },
      },
    };
    expect(estimateDeploy(template, 'create', byType).seconds).toBe(600 + 150);
  });

  test('keeps a stated order between Fargate profiles', () => {
    const template: Template = {
      Resources: {
        Cluster: { Type: 'AWS::EKS::Cluster' },
        // Second sorts first by id but waits for First.
        First: { Type: 'AWS::EKS::FargateProfile', Properties: { ClusterName: { Ref: 'Cluster' } } },
        A: { Type: 'AWS::EKS::FargateProfile', DependsOn: 'First', Properties: { ClusterName: { Ref: 'Cluster' } } },
      },
    };
    expect(estimateDeploy(template, 'create', byType).path.map((s) => s.id)).toEqual(['Cluster', 'First', 'A']);
  });

  test('fails when the template has a dependency cycle', () => {
    const template: Template = { Resources: { A: { Type: 'Test::Fast', DependsOn: 'B' }, B: { Type: 'Test::Fast', DependsOn: 'A' } } };
    expect(() => estimateDeploy(template, 'create', byType)).toThrow(/dependency cycle among A, B/);
  });

  test('costs nothing to delete a retained resource', () => {
    expect(durationOf({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain' }, 'delete')).toBe(0);
    expect(durationOf({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain' }, 'create')).toBeGreaterThan(0);
  });

  test('weighs a Lambda function in a VPC apart from one outside', () => {
    const inVpc = durationOf({ Type: 'AWS::Lambda::Function', Properties: { VpcConfig: { SubnetIds: [] } } }, 'create');
    expect(inVpc).toBeGreaterThan(durationOf({ Type: 'AWS::Lambda::Function' }, 'create'));
  });

  test('describes the path by type, folding repeats and dropping free steps', () => {
    const text = describePath([
      { id: 'a', type: 'AWS::EKS::Addon', seconds: 60, finishesAt: 60 },
      { id: 'b', type: 'AWS::EKS::Addon', seconds: 60, finishesAt: 120 },
      { id: 'c', type: 'AWS::KMS::Key', seconds: 0, finishesAt: 120 },
      { id: 'd', type: 'AWS::EKS::Cluster', seconds: 300, finishesAt: 420 },
    ]);
    expect(text).toBe('EKS::Addon ×2 2:00 → EKS::Cluster 5:00');
  });
});

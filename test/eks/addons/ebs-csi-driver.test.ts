import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EbsCsiDriver } from '../../../lib/eks/addons/ebs-csi-driver';
import { ReclaimPolicy } from '../../../lib/eks/addons/reclaim-policy';
import { expectNoComplianceFindings } from '../../helpers';
import { kubernetesProblem } from '../../kubernetes-manifests';
import { clusterWith, Compute, customResourceId, dependsOn, logicalId, manifestObjects, synthWith, installationOf } from './addon-test-cluster';
import { AddonVersion } from '../../../lib/eks/addons/addon-version';

describe('EbsCsiDriver with defaults', () => {
  const ebs = new EbsCsiDriver();
  const { cluster, template } = synthWith({ addons: [ebs] });

  test('installs the aws-ebs-csi-driver managed add-on at the version pinned for Kubernetes 1.36', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver', AddonVersion: 'v1.66.0-eksbuild.1' });
  });

  test('binds the controller\'s service account to a Pod Identity role with AmazonEBSCSIDriverPolicy', () => {
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'aws-ebs-csi-driver',
      PodIdentityAssociations: [{ ServiceAccount: 'ebs-csi-controller-sa', RoleArn: { 'Fn::GetAtt': [logicalId(installationOf(ebs).role), 'Arn'] } }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' } })]) },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']] }],
    });
  });

  test('waits for the cluster\'s compute, whose nodes wait for the Pod Identity agent', () => {
    expect(dependsOn(template, logicalId(installationOf(ebs).addon))).toEqual(expect.arrayContaining([logicalId(cluster.nodegroups[0]), logicalId(cluster.fargateProfiles[0])]));
    expect(dependsOn(template, logicalId(cluster.nodegroups[0]))).toContain(logicalId(cluster.podIdentityAgent!));
  });

  test('gives the controller the region and the node pods their metadata from the Kubernetes API, as nodes default to IMDS hop limit 1', () => {
    const config = template.toJSON().Resources[logicalId(installationOf(ebs).addon)].Properties.ConfigurationValues;
    expect(config).toEqual({ 'Fn::Join': ['', ['{"controller":{"region":"', { Ref: 'AWS::Region' }, '"},"node":{"metadataSources":"kubernetes"}}']] });
  });

  test('creates a default gp3 StorageClass: encrypted, WaitForFirstConsumer, expandable, volumes retained', () => {
    const [storageClass] = manifestObjects(template, customResourceId(installationOf(ebs).storageClass));
    expect(storageClass).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { 'type': 'gp3', 'encrypted': 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect(dependsOn(template, customResourceId(installationOf(ebs).storageClass))).toContain(logicalId(installationOf(ebs).addon));
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('EbsCsiDriver'));
  });

  test('fails when installed twice on one cluster', () => {
    expect(() => cluster.addAddon(new EbsCsiDriver())).toThrow(/'aws-ebs-csi-driver' is already installed/);
  });

  test('installs one add-on object on two clusters, each with its own role and StorageClass', () => {
    const other = clusterWith({ compute: Compute.NODES_ONLY }).cluster;
    const second = ebs.install(other, other);
    expect(second.node.path).toBe('Test/Cluster/EbsCsiDriver');
    expect(second.role).not.toBe(installationOf(ebs).role);
    expect(Template.fromStack(Stack.of(other)).resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 1));
  });
});

describe('EbsCsiDriver with a key, provisioned performance and volumes deleted with their claims', () => {
  const { stack, cluster } = clusterWith();
  const key = new kms.Key(stack, 'VolumeKey', { enableKeyRotation: true });
  const ebs = new EbsCsiDriver({ encryptionKey: key, iops: 8000, throughput: 2000, reclaimPolicy: ReclaimPolicy.DELETE, storageClassName: 'fast', defaultStorageClass: false });
  cluster.addAddon(ebs);
  const template = Template.fromStack(stack);

  test('sets the key, IOPS and throughput as StorageClass parameters, and the reclaim policy', () => {
    const [storageClass] = manifestObjects(template, customResourceId(installationOf(ebs).storageClass));
    expect(storageClass.metadata).toEqual({ name: 'fast' });
    expect(storageClass.parameters).toEqual(expect.objectContaining({ iops: '8000', throughput: '2000', kmsKeyId: `@@{'Fn::GetAtt':['${stack.getLogicalId(key.node.defaultChild as any)}','Arn']}@@` }));
    expect(storageClass.reclaimPolicy).toBe('Delete');
    expect(kubernetesProblem(storageClass)).toBeUndefined();
  });

  test('lets the driver use the key and create grants for AWS resources only', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
            Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] },
          }),
        ]),
      },
    });
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('EbsCsiDriver'));
  });
});

describe('EbsCsiDriver on a cluster with Bottlerocket nodes', () => {
  test('reserves two attachment slots for the OS and data volumes, even for a node group added after install', () => {
    const ebs = new EbsCsiDriver();
    const { stack, cluster } = clusterWith({ addons: [ebs], compute: Compute.NODES_ONLY });
    cluster.addNodegroup('Br', { amiType: eks.NodegroupAmiType.BOTTLEROCKET_X86_64 });
    const config = Template.fromStack(stack).toJSON().Resources[logicalId(installationOf(ebs).addon)].Properties.ConfigurationValues;
    expect(config['Fn::Join'][1]).toEqual(['{"controller":{"region":"', { Ref: 'AWS::Region' }, '"},"node":{"metadataSources":"kubernetes","reservedVolumeAttachments":2}}']);
  });
});

describe('EbsCsiDriver validation', () => {
  test('fails when iops is outside gp3\'s 3000 to 80000', () => {
    expect(() => new EbsCsiDriver({ iops: 80001 })).toThrow(/iops: gp3 volumes take 3000 to 80000 IOPS, got 80001/);
  });

  test('fails when throughput is outside gp3\'s 125 to 2000 MiB/s', () => {
    expect(() => new EbsCsiDriver({ throughput: 100 })).toThrow(/throughput: gp3 volumes take 125 to 2000 MiB\/s, got 100/);
  });

  test('fails when throughput exceeds 0.25 MiB/s per IOPS', () => {
    expect(() => new EbsCsiDriver({ throughput: 1000 })).toThrow(/throughput: gp3 allows at most 0.25 MiB\/s per IOPS, got throughput 1000 with iops unset \(3000\); raise iops to at least 4000/);
  });

  test('fails when version is not an EKS add-on version', () => {
    expect(() => new EbsCsiDriver({ version: AddonVersion.of('1.66.0') })).toThrow(/version: not an EKS add-on version, got '1.66.0'/);
  });

  test('fails when storageClassName is not a Kubernetes name', () => {
    expect(() => new EbsCsiDriver({ storageClassName: 'GP3' })).toThrow(/storageClassName: not a valid Kubernetes object name, got 'GP3'/);
  });

  test('fails when the cluster has no kubectl handler', () => {
    expect(() => clusterWith({ addons: [new EbsCsiDriver()], kubectl: false })).toThrow(/kubectl: the aws-ebs-csi-driver add-on creates a StorageClass/);
  });

  test('fails at synth when the cluster runs on Fargate only', () => {
    const { stack } = clusterWith({ addons: [new EbsCsiDriver()], compute: Compute.FARGATE_ONLY });
    expect(() => Template.fromStack(stack)).toThrow(/addons: the aws-ebs-csi-driver add-on attaches EBS volumes to EC2 nodes, got the Fargate-only cluster Test\/Cluster/);
  });

  test('installs on a cluster that has only Fargate profiles until a node group is added after it', () => {
    const { stack, cluster } = clusterWith({ compute: Compute.FARGATE_ONLY });
    cluster.addAddon(new EbsCsiDriver());
    cluster.addNodegroup('Later');
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver' });
  });

});

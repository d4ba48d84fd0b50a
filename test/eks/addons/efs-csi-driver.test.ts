import { Match, Template } from 'aws-cdk-lib/assertions';
import { EfsCsiDriver } from '../../../lib/eks/addons/efs-csi-driver';
import { complianceRuleIds, expectNoComplianceFindings } from '../../helpers';
import { kubernetesProblem } from '../../kubernetes-manifests';
import { clusterWith, Compute, customResourceId, dependsOn, logicalId, manifestObjects, synthWith } from './addon-test-cluster';
import { AddonVersion } from '../../../lib/eks/addons/addon-version';

describe('EfsCsiDriver on a cluster with nodes and Fargate', () => {
  const efs = new EfsCsiDriver();
  const { stack, cluster } = clusterWith({ addons: [efs] });
  const volume = efs.addStaticVolume('AppsData', { namespace: 'apps', claimName: 'data' });
  const template = Template.fromStack(stack);
  const fsId = logicalId(efs.fileSystem!);

  test('creates an encrypted file system with automatic backups and elastic throughput, retained on delete', () => {
    template.hasResource('AWS::EFS::FileSystem', {
      Properties: Match.objectLike({ Encrypted: true, BackupPolicy: { Status: 'ENABLED' }, ThroughputMode: 'elastic', PerformanceMode: 'generalPurpose' }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('puts a mount target in every private subnet', () => {
    const subnets = Object.values(template.findResources('AWS::EFS::MountTarget')).map((r: any) => r.Properties.SubnetId.Ref).sort();
    expect(subnets).toEqual(cluster.vpc.privateSubnets.map((s) => stack.getLogicalId(s.node.defaultChild as any)).sort());
  });

  test('admits NFS only from the cluster security group', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049,
      GroupId: { 'Fn::GetAtt': [logicalId(efs.securityGroup!), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(cluster.cluster), 'ClusterSecurityGroupId'] },
    });
    const sg = template.toJSON().Resources[logicalId(efs.securityGroup!)].Properties;
    expect(sg.SecurityGroupIngress ?? []).toEqual([]);
  });

  test('installs the aws-efs-csi-driver managed add-on with Pod Identity for its controller and node service accounts', () => {
    const roleArn = { 'Fn::GetAtt': [logicalId(efs.role!), 'Arn'] };
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'aws-efs-csi-driver',
      AddonVersion: 'v3.4.2-eksbuild.1',
      PodIdentityAssociations: [{ ServiceAccount: 'efs-csi-controller-sa', RoleArn: roleArn }, { ServiceAccount: 'efs-csi-node-sa', RoleArn: roleArn }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy']] }],
    });
  });

  test('creates a StorageClass that provisions an access point per claim, mounted with TLS, retained', () => {
    const [storageClass] = manifestObjects(template, customResourceId(efs.storageClass!));
    expect(storageClass).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'efs-sc' },
      provisioner: 'efs.csi.aws.com',
      parameters: { provisioningMode: 'efs-ap', fileSystemId: `@@{'Ref':'${fsId}'}@@`, directoryPerms: '700', basePath: '/dynamic', ensureUniqueDirectory: 'true' },
      mountOptions: ['tls'],
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'Immediate',
    });
    expect(dependsOn(template, customResourceId(efs.storageClass!))).toContain(logicalId(efs.addon!));
  });

  test('gives a static volume its own access point, and a bound PersistentVolume and claim', () => {
    template.hasResourceProperties('AWS::EFS::AccessPoint', {
      FileSystemId: { Ref: fsId },
      PosixUser: { Uid: '1000', Gid: '1000' },
      RootDirectory: { Path: '/static/apps/data', CreationInfo: { OwnerUid: '1000', OwnerGid: '1000', Permissions: '750' } },
    });
    const [pv, pvc] = manifestObjects(template, customResourceId(volume.manifest));
    expect(pv).toEqual(expect.objectContaining({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'apps-data' } }));
    expect(pv.spec).toEqual(expect.objectContaining({
      accessModes: ['ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      mountOptions: ['tls'],
      csi: { driver: 'efs.csi.aws.com', volumeHandle: `@@{'Ref':'${fsId}'}@@::@@{'Ref':'${logicalId(volume.accessPoint)}'}@@` },
    }));
    expect(pvc).toEqual(expect.objectContaining({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'apps' } }));
    expect(pvc.spec).toEqual(expect.objectContaining({ storageClassName: '', volumeName: 'apps-data', accessModes: ['ReadWriteMany'] }));
    expect([pv, pvc].map(kubernetesProblem)).toEqual([undefined, undefined]);
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('EfsCsiDriver'));
  });

  test('fails when installed twice on one cluster', () => {
    expect(() => cluster.addAddon(new EfsCsiDriver())).toThrow(/'aws-efs-csi-driver' is already installed/);
  });

  test('fails when a static volume names an invalid namespace', () => {
    expect(() => efs.addStaticVolume('Bad', { namespace: 'Apps', claimName: 'data' })).toThrow(/namespace: not a valid Kubernetes object name, got 'Apps'/);
  });

  test('fails when a static volume has a negative posixId', () => {
    expect(() => efs.addStaticVolume('Bad', { namespace: 'apps', claimName: 'data', posixId: -1 })).toThrow(/posixId: must be a whole number of at least 0, got -1/);
  });

  test('fails when a static volume path is relative', () => {
    expect(() => efs.addStaticVolume('Bad', { namespace: 'apps', claimName: 'data', path: 'data' })).toThrow(/path: must be an absolute directory in the file system, got 'data'/);
  });
});

describe('EfsCsiDriver on a Fargate-only cluster', () => {
  const efs = new EfsCsiDriver();
  const { template } = synthWith({ addons: [efs], compute: Compute.FARGATE_ONLY });

  test('creates the file system but neither the add-on nor a StorageClass: Fargate has the driver and no controller', () => {
    template.resourceCountIs('AWS::EFS::FileSystem', 1);
    template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'aws-efs-csi-driver' }, 0);
    expect(efs.storageClass).toBeUndefined();
  });

  test('fails when dynamicProvisioning is asked for', () => {
    expect(() => clusterWith({ addons: [new EfsCsiDriver({ dynamicProvisioning: true })], compute: Compute.FARGATE_ONLY }))
      .toThrow(/dynamicProvisioning: the EFS CSI controller that creates access points cannot run on Fargate/);
  });
});

describe('EfsCsiDriver without automatic backups', () => {
  test('leaves the backup-plan findings visible', () => {
    const { cluster } = clusterWith({ addons: [new EfsCsiDriver({ automaticBackups: false })] });
    expect(complianceRuleIds(cluster.node.findChild('EfsCsiDriver'))).toEqual(['HIPAA.Security-EFSInBackupPlan', 'NIST.800.53.R5-EFSInBackupPlan']);
  });
});

describe('EfsCsiDriver validation', () => {
  test('fails when version is not an EKS add-on version', () => {
    expect(() => new EfsCsiDriver({ version: AddonVersion.of('v3.4.2') })).toThrow(/version: not an EKS add-on version, got 'v3.4.2'/);
  });

  test('fails when storageClassName is not a Kubernetes name', () => {
    expect(() => new EfsCsiDriver({ storageClassName: 'efs_sc' })).toThrow(/storageClassName: not a valid Kubernetes object name, got 'efs_sc'/);
  });

  test('fails when dynamic provisioning meets a cluster without kubectl', () => {
    expect(() => clusterWith({ addons: [new EfsCsiDriver()], kubectl: false })).toThrow(/kubectl: the aws-efs-csi-driver add-on creates a StorageClass/);
  });

  test('fails when a static volume is added before install', () => {
    expect(() => new EfsCsiDriver().addStaticVolume('Data', { namespace: 'apps', claimName: 'data' })).toThrow(/addStaticVolume: the aws-efs-csi-driver add-on is not installed/);
  });

});

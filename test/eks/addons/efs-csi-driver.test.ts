import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EfsCsiDriver } from '../../../lib/eks/addons/efs-csi-driver';
import { complianceRuleIds, expectNoComplianceFindings } from '../../helpers';
import { kubernetesProblem } from '../../kubernetes-manifests';
import { clusterWith, Compute, customResourceId, dependsOn, logicalId, manifestObjects, synthWith, installationOf } from './addon-test-cluster';
import { AddonVersion } from '../../../lib/eks/addons/addon-version';

/** A file-system policy statement, as Match.arrayWith finds it among the others. */
function policyWith(statement: Record<string, unknown>) {
  return { FileSystemPolicy: { Version: '2012-10-17', Statement: Match.arrayWith([Match.objectLike(statement)]) } };
}

/** The file-system policy statements of the template's one file system. */
function policyStatements(template: Template): any[] {
  const [fileSystem] = Object.values(template.findResources('AWS::EFS::FileSystem')) as any[];
  return fileSystem.Properties.FileSystemPolicy.Statement;
}

/** The statements that allow a client action to every principal, which includes anonymous clients. */
function allowedToAnyone(template: Template, action: string): any[] {
  return policyStatements(template).filter((s) => s.Effect === 'Allow' && s.Principal?.AWS === '*' && [s.Action].flat().includes(action));
}

const DENY_WITHOUT_TLS = {
  Sid: 'DenyWithoutTls',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientRootAccess', 'elasticfilesystem:ClientWrite'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const DENY_WITHOUT_ACCESS_POINT = {
  Sid: 'DenyWithoutAccessPoint',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'elasticfilesystem:ClientMount',
  Condition: { Null: { 'elasticfilesystem:AccessPointArn': 'true' } },
};
const THROUGH_ACCESS_POINTS = {
  Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
  Null: { 'elasticfilesystem:AccessPointArn': 'false' },
};
const ALLOW_ANONYMOUS_THROUGH_ACCESS_POINTS = {
  Sid: 'AllowAnonymousThroughAccessPoints',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
  Condition: THROUGH_ACCESS_POINTS,
};

describe('EfsCsiDriver on a cluster with nodes and Fargate', () => {
  const efs = new EfsCsiDriver();
  const { stack, cluster } = clusterWith({ addons: [efs] });
  const volume = installationOf(efs).addStaticVolume('AppsData', { namespace: 'apps', claimName: 'data' });
  const template = Template.fromStack(stack);
  const fsId = logicalId(installationOf(efs).fileSystem);

  test('creates an encrypted file system with automatic backups and elastic throughput, retained on delete', () => {
    template.hasResource('AWS::EFS::FileSystem', {
      Properties: Match.objectLike({ Encrypted: true, BackupPolicy: { Status: 'ENABLED' }, ThroughputMode: 'elastic', PerformanceMode: 'generalPurpose' }),
      DeletionPolicy: 'RetainExceptOnCreate',
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
      GroupId: { 'Fn::GetAtt': [logicalId(installationOf(efs).securityGroup), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(cluster.cluster), 'ClusterSecurityGroupId'] },
    });
    const sg = template.toJSON().Resources[logicalId(installationOf(efs).securityGroup)].Properties;
    expect(sg.SecurityGroupIngress ?? []).toEqual([]);
  });

  test('installs the aws-efs-csi-driver managed add-on with a Pod Identity role each for its controller and node service accounts', () => {
    // The add-on accepts an association for its controller's service account only.
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'aws-efs-csi-driver',
      AddonVersion: 'v3.4.2-eksbuild.1',
      PodIdentityAssociations: [
        { ServiceAccount: 'efs-csi-controller-sa', RoleArn: { 'Fn::GetAtt': [logicalId(installationOf(efs).role!), 'Arn'] } },
      ],
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'kube-system',
      ServiceAccount: 'efs-csi-node-sa',
      RoleArn: { 'Fn::GetAtt': [logicalId(installationOf(efs).nodeRole!), 'Arn'] },
    });
    const resources = template.toJSON().Resources;
    expect(resources[logicalId(installationOf(efs).role!)].Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy']] },
    ]);
  });

  test('creates the add-on after the node service account\'s association, so the node daemon\'s pods get its credentials', () => {
    const [associationId] = Object.entries(template.findResources('AWS::EKS::PodIdentityAssociation', { Properties: { ServiceAccount: 'efs-csi-node-sa' } })).map(([id]) => id);
    expect(dependsOn(template, logicalId(installationOf(efs).addon!))).toContain(associationId);
  });

  test('gives the node role no permission of its own: only the file-system policy lets it mount', () => {
    const nodeRole = template.toJSON().Resources[logicalId(installationOf(efs).nodeRole!)].Properties;
    expect(nodeRole.ManagedPolicyArns).toBeUndefined();
    const policiesOnNodeRole = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles ?? []).includes(logicalId(installationOf(efs).nodeRole!)));
    expect(policiesOnNodeRole).toEqual([]);
  });

  test('turns anonymous access off: aws-cdk-lib grants write and root only to whoever may mount', () => {
    template.hasResourceProperties('AWS::EFS::FileSystem', policyWith({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['elasticfilesystem:ClientRootAccess', 'elasticfilesystem:ClientWrite'],
      Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
    }));
  });

  test('denies every client action without TLS', () => {
    template.hasResourceProperties('AWS::EFS::FileSystem', policyWith(DENY_WITHOUT_TLS));
  });

  test('denies a mount that does not go through an access point', () => {
    template.hasResourceProperties('AWS::EFS::FileSystem', policyWith(DENY_WITHOUT_ACCESS_POINT));
  });

  test('lets the driver node role mount and write through access points, without root access', () => {
    template.hasResourceProperties('AWS::EFS::FileSystem', policyWith({
      Sid: 'AllowDriverNodeThroughAccessPoints',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [logicalId(installationOf(efs).nodeRole!), 'Arn'] } },
      Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      Condition: THROUGH_ACCESS_POINTS,
    }));
  });

  test('lets anonymous clients mount static volumes only through access points', () => {
    expect(allowedToAnyone(template, 'elasticfilesystem:ClientMount')).toEqual([ALLOW_ANONYMOUS_THROUGH_ACCESS_POINTS]);
  });

  test('names no principal but the node role and, for static volumes, anonymous clients', () => {
    const principals = policyStatements(template).filter((s) => s.Effect === 'Allow').map((s) => JSON.stringify(s.Principal.AWS));
    expect([...new Set(principals)].sort()).toEqual([JSON.stringify({ 'Fn::GetAtt': [logicalId(installationOf(efs).nodeRole!), 'Arn'] }), '"*"'].sort());
  });

  test('creates a StorageClass that provisions an access point per claim, mounted with TLS and IAM authorization, retained', () => {
    const [storageClass] = manifestObjects(template, customResourceId(installationOf(efs).storageClass!));
    expect(storageClass).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'efs-sc' },
      provisioner: 'efs.csi.aws.com',
      parameters: { provisioningMode: 'efs-ap', fileSystemId: `@@{'Ref':'${fsId}'}@@`, directoryPerms: '700', basePath: '/dynamic', ensureUniqueDirectory: 'true' },
      mountOptions: ['tls', 'iam'],
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'Immediate',
    });
    expect(dependsOn(template, customResourceId(installationOf(efs).storageClass!))).toContain(logicalId(installationOf(efs).addon!));
    expect(kubernetesProblem(storageClass)).toBeUndefined();
  });

  test('gives a static volume its own access point, and a bound PersistentVolume and claim mounted with TLS and no IAM', () => {
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
    expect(() => installationOf(efs).addStaticVolume('Bad', { namespace: 'Apps', claimName: 'data' })).toThrow(/namespace: not a valid Kubernetes object name, got 'Apps'/);
  });

  test('fails when a static volume has a negative posixId', () => {
    expect(() => installationOf(efs).addStaticVolume('Bad', { namespace: 'apps', claimName: 'data', posixId: -1 })).toThrow(/posixId: must be a whole number of at least 0, got -1/);
  });

  test('fails when a static volume path is relative', () => {
    expect(() => installationOf(efs).addStaticVolume('Bad', { namespace: 'apps', claimName: 'data', path: 'data' })).toThrow(/path: must be an absolute directory in the file system, got 'data'/);
  });

  test('fails when a static volume is rooted at the file system root', () => {
    expect(() => installationOf(efs).addStaticVolume('Bad', { namespace: 'apps', claimName: 'data', path: '/' })).toThrow(/path: the root holds every volume's directory, which the static volume's anonymous mounts would reach, got '\/'/);
  });

  test('fails when a static volume lies in the directory of dynamic volumes', () => {
    expect(() => installationOf(efs).addStaticVolume('Bad', { namespace: 'apps', claimName: 'data', path: '/dynamic/' })).toThrow(/path: lies in '\/dynamic', where the driver provisions the directories of dynamic claims, got '\/dynamic\/'/);
    expect(() => installationOf(efs).addStaticVolume('Bad', { namespace: 'apps', claimName: 'data', path: '/dynamic/apps' })).toThrow(/path: lies in '\/dynamic'.*got '\/dynamic\/apps'/);
  });
});

describe('EfsCsiDriver on a cluster with nodes and no static volume', () => {
  const efs = new EfsCsiDriver();
  const { template } = synthWith({ addons: [efs], compute: Compute.NODES_ONLY });

  test('lets no anonymous client mount: only the node role, with IAM authorization', () => {
    expect(allowedToAnyone(template, 'elasticfilesystem:ClientMount')).toEqual([]);
    expect(policyStatements(template).filter((s) => [s.Action].flat().includes('elasticfilesystem:ClientMount')).map((s) => s.Sid))
      .toEqual(['DenyWithoutTls', 'DenyWithoutAccessPoint', 'AllowDriverNodeThroughAccessPoints']);
  });
});

describe('EfsCsiDriver on a Fargate-only cluster', () => {
  const efs = new EfsCsiDriver();
  const { stack, cluster } = clusterWith({ addons: [efs], compute: Compute.FARGATE_ONLY });
  const volume = installationOf(efs).addStaticVolume('AppsData', { namespace: 'apps', claimName: 'data' });
  const template = Template.fromStack(stack);

  test('creates the file system but neither the add-on nor a StorageClass: Fargate has the driver and no controller', () => {
    template.resourceCountIs('AWS::EFS::FileSystem', 1);
    template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'aws-efs-csi-driver' }, 0);
    expect(installationOf(efs).storageClass!).toBeUndefined();
    expect(installationOf(efs).nodeRole!).toBeUndefined();
  });

  test('requires TLS and an access point, and lets anonymous clients mount through access points only', () => {
    expect(policyStatements(template).filter((s) => s.Sid !== undefined)).toEqual([DENY_WITHOUT_TLS, DENY_WITHOUT_ACCESS_POINT, ALLOW_ANONYMOUS_THROUGH_ACCESS_POINTS]);
    expect(allowedToAnyone(template, 'elasticfilesystem:ClientMount')).toEqual([ALLOW_ANONYMOUS_THROUGH_ACCESS_POINTS]);
  });

  test('mounts a static volume with TLS and without IAM authorization: Fargate pods have no Pod Identity to sign it', () => {
    const [pv] = manifestObjects(template, customResourceId(volume.manifest));
    expect(pv.spec.mountOptions).toEqual(['tls']);
    expect(kubernetesProblem(pv)).toBeUndefined();
  });

  test('adds the anonymous statement once, however many static volumes there are', () => {
    const driver = new EfsCsiDriver();
    const { stack: other } = clusterWith({ addons: [driver], compute: Compute.FARGATE_ONLY });
    installationOf(driver).addStaticVolume('One', { namespace: 'apps', claimName: 'one' });
    installationOf(driver).addStaticVolume('Two', { namespace: 'apps', claimName: 'two' });
    expect(policyStatements(Template.fromStack(other)).filter((s) => s.Sid === 'AllowAnonymousThroughAccessPoints')).toHaveLength(1);
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('EfsCsiDriver'));
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

  test('offers static volumes on the installation, whose file system is defined', () => {
    const driver = new EfsCsiDriver();
    const { cluster } = clusterWith({ compute: Compute.NODES_ONLY });
    const installation = driver.install(cluster, cluster);
    expect(installation.addStaticVolume('Data', { namespace: 'apps', claimName: 'data' }).accessPoint.fileSystem).toBe(installation.fileSystem);
  });

});

describe('EfsCsiDriver installed before the cluster\'s node groups', () => {
  test('warns that dynamic provisioning stayed off, chosen while the cluster was Fargate-only', () => {
    const { stack, cluster } = clusterWith({ compute: Compute.FARGATE_ONLY });
    const efs = new EfsCsiDriver();
    cluster.addAddon(efs);
    cluster.addNodegroup('Later');
    Annotations.fromStack(stack).hasWarning('/Test/Cluster/EfsCsiDriver', Match.stringLikeRegexp('dynamicProvisioning: off because Test/Cluster was Fargate-only when the driver was installed'));
    expect(installationOf(efs).addon!).toBeUndefined();
  });
});

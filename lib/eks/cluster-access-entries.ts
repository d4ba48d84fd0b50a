// Module-private: access entries of PlatformCluster. Not exported from lib/index.ts.
import { Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NamespaceAccess, NamespaceAccessLevel } from './cluster-access';

/** Makes a role a cluster admin (AmazonEKSClusterAdminPolicy, cluster scope) through an access entry. */
export function grantClusterAdmin(cluster: eks.Cluster, id: string, role: iam.IRole): void {
  cluster.grantAccess(id, role.roleArn, [
    eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
  ]);
}

/** Gives a role access to some namespaces only, through an access entry. */
export function grantNamespaceAccess(cluster: eks.Cluster, id: string, access: NamespaceAccess): void {
  if (access.namespaces.length === 0) {
    throw new Error(`namespaceAccess: role access '${id}' names no namespace, got []; list the namespaces, or use admins for cluster-wide access`);
  }
  for (const ns of access.namespaces) {
    if (!Token.isUnresolved(ns) && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns)) {
      throw new Error(`namespaceAccess: not a Kubernetes namespace name in '${id}', got '${ns}'; use up to 63 lower-case letters, digits and '-'`);
    }
  }
  cluster.grantAccess(id, access.role.roleArn, [
    eks.AccessPolicy.fromAccessPolicyName(access.level ?? NamespaceAccessLevel.EDIT, { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: access.namespaces }),
  ]);
}

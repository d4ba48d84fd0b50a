import * as iam from 'aws-cdk-lib/aws-iam';

/** What a role may do inside its namespaces, as an EKS access policy. */
export enum NamespaceAccessLevel {
  /** Read most objects, not secrets (AmazonEKSViewPolicy). */
  VIEW = 'AmazonEKSViewPolicy',
  /** Create, change and delete most objects, read secrets (AmazonEKSEditPolicy). */
  EDIT = 'AmazonEKSEditPolicy',
  /** Everything inside the namespaces, including roles and role bindings (AmazonEKSAdminPolicy). */
  ADMIN = 'AmazonEKSAdminPolicy',
}

/** An IAM role that gets access to some namespaces only, through an EKS access entry. */
export interface NamespaceAccess {
  /** The role (e.g. a team's deploy or SSO role). */
  readonly role: iam.IRole;
  /** The namespaces, at least one. */
  readonly namespaces: string[];
  /**
   * What the role may do there.
   * @default NamespaceAccessLevel.EDIT
   */
  readonly level?: NamespaceAccessLevel;
}

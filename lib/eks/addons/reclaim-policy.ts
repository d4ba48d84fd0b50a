/** What happens to a volume when the PersistentVolumeClaim bound to it is deleted. */
export enum ReclaimPolicy {
  /** Keep the volume and its data; an operator deletes it by hand. */
  RETAIN = 'Retain',
  /** Delete the volume, and its data, with its claim. */
  DELETE = 'Delete',
}

/** RoleBindings and ClusterRoleBindings (rbac.authorization.k8s.io/v1): each subject's apiGroup. */
import { isJsonObject } from '../patch/json-value.js';
import { setDefault } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

/** bindingStrategy: a ServiceAccount subject's apiGroup is "", a User's or Group's the RBAC group. */
export const bindingStrategy: ResourceStrategy = {
  default(object) {
    if (!Array.isArray(object.subjects)) return;
    for (const subject of object.subjects) {
      if (isJsonObject(subject)) setDefault(subject, 'apiGroup', subject.kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io');
    }
  },
};

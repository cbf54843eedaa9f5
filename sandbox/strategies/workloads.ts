/**
 * Deployments, StatefulSets, DaemonSets and ReplicaSets (apps/v1): their defaulters
 * (pkg/apis/apps/v1/defaults.go) and validation (selector vs template labels, immutable fields).
 */
import type { KubeObject } from '../api/types.js';
import { isJsonObject } from '../patch/json-value.js';
import { validateWorkload } from '../validation/builtin-rules.js';
import { defaultTemplate, obj, setDefault } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

function validate(kind: string) {
  return (object: KubeObject, old: KubeObject | undefined) => validateWorkload(kind, object, old);
}

/** deploymentStrategy: replicas, a RollingUpdate strategy of 25 %/25 %, history and progress deadline. */
export const deploymentStrategy: ResourceStrategy = {
  default(object) {
    const s = obj(object, 'spec');
    setDefault(s, 'replicas', 1);
    const strategy = obj(s, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = obj(strategy, 'rollingUpdate');
      setDefault(rolling, 'maxUnavailable', '25%');
      setDefault(rolling, 'maxSurge', '25%');
    }
    setDefault(s, 'revisionHistoryLimit', 10);
    setDefault(s, 'progressDeadlineSeconds', 600);
    defaultTemplate(s);
  },
  validate: validate('Deployment'),
};

/** statefulSetStrategy: replicas, OrderedReady, a RollingUpdate at partition 0, PVC templates and retention. */
export const statefulSetStrategy: ResourceStrategy = {
  default(object) {
    const s = obj(object, 'spec');
    setDefault(s, 'replicas', 1);
    setDefault(s, 'podManagementPolicy', 'OrderedReady');
    const strategy = obj(s, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') setDefault(obj(strategy, 'rollingUpdate'), 'partition', 0);
    setDefault(s, 'revisionHistoryLimit', 10);
    setDefault(s, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
    if (Array.isArray(s.volumeClaimTemplates)) {
      for (const pvc of s.volumeClaimTemplates) {
        if (!isJsonObject(pvc)) continue;
        setDefault(pvc, 'apiVersion', 'v1');
        setDefault(pvc, 'kind', 'PersistentVolumeClaim');
        setDefault(obj(pvc, 'spec'), 'volumeMode', 'Filesystem');
      }
    }
    defaultTemplate(s);
  },
  validate: validate('StatefulSet'),
};

/** daemonSetStrategy: a RollingUpdate of one unavailable and no surge, and history. */
export const daemonSetStrategy: ResourceStrategy = {
  default(object) {
    const s = obj(object, 'spec');
    const strategy = obj(s, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = obj(strategy, 'rollingUpdate');
      setDefault(rolling, 'maxUnavailable', 1);
      setDefault(rolling, 'maxSurge', 0);
    }
    setDefault(s, 'revisionHistoryLimit', 10);
    defaultTemplate(s);
  },
  validate: validate('DaemonSet'),
};

/** replicaSetStrategy: replicas and the pod template. */
export const replicaSetStrategy: ResourceStrategy = {
  default(object) {
    setDefault(obj(object, 'spec'), 'replicas', 1);
    defaultTemplate(obj(object, 'spec'));
  },
  validate: validate('ReplicaSet'),
};

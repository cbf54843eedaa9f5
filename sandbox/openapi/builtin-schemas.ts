/**
 * Hand-written, deliberately partial OpenAPI v3 schemas for the built-in kinds: enough for
 * `kubectl explain deployment.spec.replicas` and friends, never a copy of the upstream spec.
 * Fields not described here are still accepted: nothing here forbids unknown properties.
 */
import type { JSONSchemaProps } from '../api/types.js';
import { array, boolean, integer, intOrString, labelSelectorRef, object, opaque, ref, string, stringMap } from './schema-builders.js';

const selector = (description: string) => ref(labelSelectorRef, description);

/** meta/v1 ObjectMeta and LabelSelector, and autoscaling/v1 Scale: schemas the kinds refer to. */
export function sharedSchemas(): Record<string, JSONSchemaProps> {
  return {
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': object(
      'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
      {
        name: string('Name must be unique within a namespace. Cannot be updated.'),
        generateName: string(
          'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
        ),
        namespace: string('Namespace defines the space within which each name must be unique.'),
        uid: string('UID is the unique in time and space value for this object. Populated by the system. Read-only.'),
        resourceVersion: string(
          'An opaque value that represents the internal version of this object, used for optimistic concurrency. Read-only.',
        ),
        generation: {
          type: 'integer',
          format: 'int64',
          description: 'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.',
        },
        creationTimestamp: string('CreationTimestamp is a timestamp representing the server time when this object was created.', {
          format: 'date-time',
        }),
        deletionTimestamp: string('DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.', {
          format: 'date-time',
        }),
        labels: stringMap('Map of string keys and values that can be used to organize and categorize (scope and select) objects.'),
        annotations: stringMap(
          'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.',
        ),
        finalizers: array(
          'Must be empty before the object is deleted from the registry.',
          { type: 'string', default: '' },
          { 'x-kubernetes-list-type': 'set' },
        ),
        ownerReferences: array(
          'List of objects depended by this object.',
          object(
            'OwnerReference contains enough information to let you identify an owning object.',
            {
              apiVersion: string('API version of the referent.'),
              kind: string('Kind of the referent.'),
              name: string('Name of the referent.'),
              uid: string('UID of the referent.'),
              controller: boolean('If true, this reference points to the managing controller.'),
              blockOwnerDeletion: boolean(
                'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
              ),
            },
            { required: ['apiVersion', 'kind', 'name', 'uid'] },
          ),
        ),
        managedFields: array(
          'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
          opaque('ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.'),
        ),
      },
    ),
    'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': object(
      'A label selector is a label query over a set of resources.',
      {
        matchLabels: stringMap('matchLabels is a map of {key,value} pairs.'),
        matchExpressions: array(
          'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
          object(
            'A label selector requirement.',
            {
              key: string('key is the label key that the selector applies to.'),
              operator: string(
                "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.",
              ),
              values: array('values is an array of string values.', { type: 'string', default: '' }),
            },
            { required: ['key', 'operator'] },
          ),
        ),
      },
      { 'x-kubernetes-map-type': 'atomic' },
    ),
    'io.k8s.api.autoscaling.v1.Scale': object(
      'Scale represents a scaling request for a resource.',
      {
        apiVersion: string('APIVersion defines the versioned schema of this representation of an object.'),
        kind: string('Kind is a string value representing the REST resource this object represents.'),
        metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'Standard object metadata.'),
        spec: object('spec defines the behavior of the scale.', {
          replicas: integer('replicas is the desired number of instances for the scaled object.'),
        }),
        status: object(
          'status is the current status of the scale.',
          {
            replicas: integer('replicas is the actual number of observed instances of the scaled object.'),
            selector: string('selector is the label query over pods that should match the replicas count.'),
          },
          { required: ['replicas'] },
        ),
      },
      { 'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }] },
    ),
  };
}

const container = object(
  'A single application container that you want to run within a pod.',
  {
    name: string('Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name. Cannot be updated.'),
    image: string('Container image name.'),
    imagePullPolicy: string('Image pull policy. One of Always, Never, IfNotPresent.'),
    command: array('Entrypoint array. Not executed within a shell.', { type: 'string', default: '' }),
    args: array('Arguments to the entrypoint.', { type: 'string', default: '' }),
    env: array(
      'List of environment variables to set in the container.',
      object(
        'EnvVar represents an environment variable present in a Container.',
        {
          name: string('Name of the environment variable.'),
          value: string(
            'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container.',
          ),
          valueFrom: opaque("Source for the environment variable's value."),
        },
        { required: ['name'] },
      ),
      { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
    ),
    ports: array(
      'List of ports to expose from the container.',
      object(
        'ContainerPort represents a network port in a single container.',
        {
          name: string('If specified, this must be an IANA_SVC_NAME and unique within the pod.'),
          containerPort: integer("Number of port to expose on the pod's IP address."),
          protocol: string('Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".'),
        },
        { required: ['containerPort'] },
      ),
      { 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-patch-strategy': 'merge' },
    ),
    resources: object('Compute Resources required by this container.', {
      limits: stringMap('Limits describes the maximum amount of compute resources allowed.'),
      requests: stringMap('Requests describes the minimum amount of compute resources required.'),
    }),
    volumeMounts: array(
      'Pod volumes to mount into the filesystem of the container.',
      opaque('VolumeMount describes a mounting of a Volume within a container.'),
    ),
    readinessProbe: opaque('Periodic probe of container service readiness.'),
    livenessProbe: opaque('Periodic probe of container liveness.'),
  },
  { required: ['name'] },
);

const podSpec = object('PodSpec is a description of a pod.', {
  containers: array('List of containers belonging to the pod.', container, {
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
  }),
  initContainers: array('List of initialization containers belonging to the pod.', container),
  serviceAccountName: string('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
  nodeName: string('NodeName indicates in which node this pod is scheduled.'),
  nodeSelector: stringMap('NodeSelector is a selector which must be true for the pod to fit on a node.'),
  restartPolicy: string('Restart policy for all containers within the pod. One of Always, OnFailure, Never.'),
  volumes: array(
    'List of volumes that can be mounted by containers belonging to the pod.',
    opaque('Volume represents a named volume in a pod.'),
  ),
  affinity: opaque("If specified, the pod's scheduling constraints."),
  tolerations: array(
    "If specified, the pod's tolerations.",
    opaque('The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect>.'),
  ),
  securityContext: opaque('SecurityContext holds pod-level security attributes and common container settings.'),
});

const podTemplate = object('PodTemplateSpec describes the data a pod should have when created from a template.', {
  metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', "Standard object's metadata."),
  spec: podSpec,
});

const conditions = (owner: string) =>
  array(
    `Represents the latest available observations of a ${owner}'s current state.`,
    object(
      'A condition of the object.',
      {
        type: string('Type of the condition.'),
        status: string('Status of the condition, one of True, False, Unknown.'),
        reason: string("The reason for the condition's last transition."),
        message: string('A human readable message indicating details about the transition.'),
        lastTransitionTime: string('Last time the condition transitioned from one status to another.', { format: 'date-time' }),
      },
      { required: ['type', 'status'] },
    ),
    { 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge' },
  );

const replicasStatus = (owner: string) => ({
  observedGeneration: { type: 'integer', format: 'int64', description: `The generation observed by the ${owner} controller.` },
  replicas: integer(`Total number of non-terminated pods targeted by this ${owner}.`),
  readyReplicas: integer(`Total number of ready pods targeted by this ${owner}.`),
  updatedReplicas: integer(`Total number of non-terminated pods targeted by this ${owner} that have the desired template spec.`),
  availableReplicas: integer(`Total number of available pods (ready for at least minReadySeconds) targeted by this ${owner}.`),
  conditions: conditions(owner),
});

const workloadSpec = (owner: string, extra: Record<string, JSONSchemaProps>) =>
  object(
    `${owner}Spec is the specification of the desired behavior of the ${owner}.`,
    {
      replicas: integer(`Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.`),
      selector: selector(
        `Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this ${owner}. It must match the pod template's labels.`,
      ),
      template: podTemplate,
      minReadySeconds: integer(
        'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0.',
      ),
      revisionHistoryLimit: integer('The number of old history to retain to allow rollback. Defaults to 10.'),
      ...extra,
    },
    { required: ['selector', 'template'] },
  );

const rule = object(
  'PolicyRule holds information that describes a policy rule.',
  {
    apiGroups: array('APIGroups is the name of the APIGroup that contains the resources.', { type: 'string', default: '' }),
    resources: array('Resources is a list of resources this rule applies to.', { type: 'string', default: '' }),
    verbs: array('Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule.', { type: 'string', default: '' }),
    resourceNames: array('ResourceNames is an optional white list of names that the rule applies to.', { type: 'string', default: '' }),
  },
  { required: ['verbs'] },
);
const bindingFields = {
  roleRef: object(
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
    {
      apiGroup: string('APIGroup is the group for the resource being referenced.'),
      kind: string('Kind is the type of resource being referenced.'),
      name: string('Name is the name of resource being referenced.'),
    },
    { required: ['apiGroup', 'kind', 'name'] },
  ),
  subjects: array(
    'Subjects holds references to the objects the role applies to.',
    object(
      'Subject contains a reference to the object or user identities a role binding applies to.',
      {
        kind: string('Kind of object being referenced: User, Group or ServiceAccount.'),
        name: string('Name of the object being referenced.'),
        namespace: string('Namespace of the referenced object.'),
        apiGroup: string('APIGroup holds the API group of the referenced subject.'),
      },
      { required: ['kind', 'name'] },
    ),
  ),
};
const webhooks = array(
  'Webhooks is a list of webhooks and the affected resources and operations.',
  object(
    'A webhook.',
    {
      name: string('The name of the admission webhook.'),
      clientConfig: opaque('ClientConfig defines how to communicate with the hook.'),
      rules: array('Rules describes what operations on what resources/subresources the webhook cares about.', opaque('A rule.')),
      failurePolicy: string(
        'FailurePolicy defines how unrecognized errors from the admission endpoint are handled - allowed values are Ignore or Fail.',
      ),
      sideEffects: string('SideEffects states whether this webhook has side effects.'),
      admissionReviewVersions: array(
        'AdmissionReviewVersions is an ordered list of preferred AdmissionReview versions the Webhook expects.',
        { type: 'string', default: '' },
      ),
    },
    { required: ['name', 'clientConfig', 'sideEffects', 'admissionReviewVersions'] },
  ),
  { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
);

/** The fields after apiVersion/kind/metadata, and the kind's description, per `group/Kind`. */
const kinds: Record<string, { description: string; properties: Record<string, JSONSchemaProps> }> = {
  '/Namespace': {
    description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
    properties: {
      spec: object('Spec defines the behavior of the Namespace.', {
        finalizers: array('Finalizers is an opaque list of values that must be empty to permanently remove object from storage.', {
          type: 'string',
          default: '',
        }),
      }),
      status: object('Status describes the current status of a Namespace.', {
        phase: string('Phase is the current lifecycle phase of the namespace: Active or Terminating.'),
        conditions: conditions('namespace'),
      }),
    },
  },
  '/ConfigMap': {
    description: 'ConfigMap holds configuration data for pods to consume.',
    properties: {
      data: stringMap("Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
      binaryData: {
        type: 'object',
        additionalProperties: { type: 'string', format: 'byte' },
        description: 'BinaryData contains the binary data.',
      },
      immutable: boolean('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated.'),
    },
  },
  '/Secret': {
    description:
      'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    properties: {
      data: {
        type: 'object',
        additionalProperties: { type: 'string', format: 'byte' },
        description: 'Data contains the secret data. The serialized form of the secret data is a base64 encoded string.',
      },
      stringData: stringMap(
        'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.',
      ),
      type: string('Used to facilitate programmatic handling of secret data.'),
      immutable: boolean('Immutable, if set to true, ensures that data stored in the Secret cannot be updated.'),
    },
  },
  '/Service': {
    description:
      'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    properties: {
      spec: object('Spec defines the behavior of a service.', {
        type: string(
          'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.',
        ),
        selector: stringMap('Route service traffic to pods with label keys and values matching this selector.'),
        clusterIP: string('clusterIP is the IP address of the service and is usually assigned randomly.'),
        ports: array(
          'The list of ports that are exposed by this service.',
          object(
            "ServicePort contains information on service's port.",
            {
              name: string('The name of this port within the service.'),
              protocol: string('The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.'),
              port: integer('The port that will be exposed by this service.'),
              targetPort: intOrString('Number or name of the port to access on the pods targeted by the service.'),
              nodePort: integer('The port on each node on which this service is exposed when type is NodePort or LoadBalancer.'),
            },
            { required: ['port'] },
          ),
          { 'x-kubernetes-list-map-keys': ['port', 'protocol'], 'x-kubernetes-list-type': 'map' },
        ),
      }),
      status: opaque('Most recently observed status of the service.'),
    },
  },
  '/ServiceAccount': {
    description:
      'ServiceAccount binds together: a name, understood by users, and perhaps by peripheral systems, for an identity; a principal that can be authenticated and authorized; a set of secrets.',
    properties: {
      secrets: array(
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
        opaque('ObjectReference'),
      ),
      automountServiceAccountToken: boolean(
        'AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.',
      ),
    },
  },
  '/Pod': {
    description: 'Pod is a collection of containers that can run on a host.',
    properties: {
      spec: podSpec,
      status: object('Most recently observed status of the pod.', {
        phase: string('The phase of a Pod: Pending, Running, Succeeded, Failed or Unknown.'),
        podIP: string('IP address allocated to the pod.'),
        conditions: conditions('pod'),
        containerStatuses: array('The status of each container.', opaque('ContainerStatus')),
      }),
    },
  },
  'apps/Deployment': {
    description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    properties: {
      spec: workloadSpec('Deployment', {
        strategy: object('The deployment strategy to use to replace existing pods with new ones.', {
          type: string('Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.'),
          rollingUpdate: object('Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.', {
            maxSurge: intOrString('The maximum number of pods that can be scheduled above the desired number of pods.'),
            maxUnavailable: intOrString('The maximum number of pods that can be unavailable during the update.'),
          }),
        }),
        paused: boolean('Indicates that the deployment is paused.'),
        progressDeadlineSeconds: integer(
          'The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s.',
        ),
      }),
      status: object('Most recently observed status of the Deployment.', {
        ...replicasStatus('deployment'),
        unavailableReplicas: integer('Total number of unavailable pods targeted by this deployment.'),
      }),
    },
  },
  'apps/ReplicaSet': {
    description: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
    properties: {
      spec: workloadSpec('ReplicaSet', {}),
      status: object('Status is the most recently observed status of the ReplicaSet.', replicasStatus('replica set')),
    },
  },
  'apps/StatefulSet': {
    description: 'StatefulSet represents a set of pods with consistent identities.',
    properties: {
      spec: workloadSpec('StatefulSet', {
        serviceName: string('serviceName is the name of the service that governs this StatefulSet.'),
        podManagementPolicy: string('podManagementPolicy controls how pods are created during initial scale up: OrderedReady or Parallel.'),
        updateStrategy: object(
          'updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template.',
          {
            type: string('Type indicates the type of the StatefulSetUpdateStrategy. Default is RollingUpdate.'),
            rollingUpdate: object('RollingUpdate is used to communicate parameters when Type is RollingUpdateStatefulSetStrategyType.', {
              partition: integer('Partition indicates the ordinal at which the StatefulSet should be partitioned for updates.'),
              maxUnavailable: intOrString('The maximum number of pods that can be unavailable during the update.'),
            }),
          },
        ),
        volumeClaimTemplates: array(
          'volumeClaimTemplates is a list of claims that pods are allowed to reference.',
          opaque('PersistentVolumeClaim'),
        ),
      }),
      status: object('Status is the current status of Pods in this StatefulSet.', {
        ...replicasStatus('statefulset'),
        currentReplicas: integer(
          'currentReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by currentRevision.',
        ),
        currentRevision: string(
          'currentRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).',
        ),
        updateRevision: string(
          'updateRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)',
        ),
      }),
    },
  },
  'apps/DaemonSet': {
    description: 'DaemonSet represents the configuration of a daemon set.',
    properties: {
      spec: object(
        'The desired behavior of this daemon set.',
        {
          selector: selector('A label query over pods that are managed by the daemon set.'),
          template: podTemplate,
          updateStrategy: object('An update strategy to replace existing DaemonSet pods with new pods.', {
            type: string('Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate.'),
            rollingUpdate: opaque('Rolling update config params.'),
          }),
          minReadySeconds: integer(
            'The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available.',
          ),
        },
        { required: ['selector', 'template'] },
      ),
      status: object('The current status of this daemon set.', {
        desiredNumberScheduled: integer('The total number of nodes that should be running the daemon pod.'),
        currentNumberScheduled: integer(
          'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
        ),
        numberReady: integer(
          'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
        ),
        updatedNumberScheduled: integer('The total number of nodes that are running updated daemon pod.'),
        numberAvailable: integer(
          'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
        ),
        observedGeneration: {
          type: 'integer',
          format: 'int64',
          description: 'The most recent generation observed by the daemon set controller.',
        },
      }),
    },
  },
  'batch/Job': {
    description: 'Job represents the configuration of a single job.',
    properties: {
      spec: object(
        'Specification of the desired behavior of a job.',
        {
          parallelism: integer('Specifies the maximum desired number of pods the job should run at any given time.'),
          completions: integer('Specifies the desired number of successfully finished pods the job should be run with.'),
          backoffLimit: integer('Specifies the number of retries before marking this job failed. Defaults to 6.'),
          activeDeadlineSeconds: {
            type: 'integer',
            format: 'int64',
            description:
              'Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it.',
          },
          ttlSecondsAfterFinished: integer('ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution.'),
          suspend: boolean('suspend specifies whether the Job controller should create Pods or not.'),
          selector: selector('A label query over pods that should match the pod count.'),
          template: podTemplate,
        },
        { required: ['template'] },
      ),
      status: object('Current status of a job.', {
        active: integer('The number of pending and running pods.'),
        succeeded: integer('The number of pods which reached phase Succeeded.'),
        failed: integer('The number of pods which reached phase Failed.'),
        startTime: string('Represents time when the job controller started processing a job.', { format: 'date-time' }),
        completionTime: string('Represents time when the job was completed.', { format: 'date-time' }),
        conditions: conditions('job'),
      }),
    },
  },
  'autoscaling/HorizontalPodAutoscaler': {
    description:
      'HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.',
    properties: {
      spec: object(
        'spec is the specification for the behaviour of the autoscaler.',
        {
          scaleTargetRef: object(
            'scaleTargetRef points to the target resource to scale.',
            {
              apiVersion: string('apiVersion is the API version of the referent'),
              kind: string('kind is the kind of the referent'),
              name: string('name is the name of the referent'),
            },
            { required: ['kind', 'name'] },
          ),
          minReplicas: integer(
            'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.',
          ),
          maxReplicas: integer('maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
          metrics: array(
            'metrics contains the specifications for which to use to calculate the desired replica count.',
            opaque('MetricSpec specifies how to scale based on a single metric.'),
          ),
          behavior: opaque('behavior configures the scaling behavior of the target in both Up and Down directions.'),
        },
        { required: ['scaleTargetRef', 'maxReplicas'] },
      ),
      status: object('status is the current information about the autoscaler.', {
        currentReplicas: integer('currentReplicas is current number of replicas of pods managed by this autoscaler.'),
        desiredReplicas: integer('desiredReplicas is the desired number of replicas of pods managed by this autoscaler.'),
        currentMetrics: array('currentMetrics is the last read state of the metrics used by this autoscaler.', opaque('MetricStatus')),
        conditions: conditions('autoscaler'),
      }),
    },
  },
  'policy/PodDisruptionBudget': {
    description: 'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods.',
    properties: {
      spec: object('Specification of the desired behavior of the PodDisruptionBudget.', {
        minAvailable: intOrString(
          'An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction.',
        ),
        maxUnavailable: intOrString(
          'An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction.',
        ),
        selector: selector('Label query over pods whose evictions are managed by the disruption budget.'),
        unhealthyPodEvictionPolicy: string(
          'UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction: IfHealthyBudget or AlwaysAllow.',
        ),
      }),
      status: object('Most recently observed status of the PodDisruptionBudget.', {
        disruptionsAllowed: integer('Number of pod disruptions that are currently allowed.'),
        currentHealthy: integer('current number of healthy pods'),
        desiredHealthy: integer('minimum desired number of healthy pods'),
        expectedPods: integer('total number of pods counted by this disruption budget'),
        conditions: conditions('PodDisruptionBudget'),
      }),
    },
  },
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': {
    description:
      'ValidatingWebhookConfiguration describes the configuration of and admission webhook that accept or reject and object without changing it.',
    properties: { webhooks },
  },
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': {
    description:
      'MutatingWebhookConfiguration describes the configuration of and admission webhook that accept or reject and may change the object.',
    properties: { webhooks },
  },
  'apiextensions.k8s.io/CustomResourceDefinition': {
    description:
      'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
    properties: {
      spec: object(
        'spec describes how the user wants the resources to appear',
        {
          group: string('group is the API group of the defined custom resource.'),
          names: object(
            'names specify the resource and kind names for the custom resource.',
            {
              plural: string('plural is the plural name of the resource to serve.'),
              singular: string('singular is the singular name of the resource.'),
              kind: string('kind is the serialized kind of the resource.'),
              listKind: string('listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".'),
              shortNames: array('shortNames are short names for the resource, exposed in API discovery documents.', {
                type: 'string',
                default: '',
              }),
              categories: array("categories is a list of grouped resources this custom resource belongs to (e.g. 'all').", {
                type: 'string',
                default: '',
              }),
            },
            { required: ['plural', 'kind'] },
          ),
          scope: string(
            'scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.',
          ),
          versions: array(
            'versions is the list of all API versions of the defined custom resource.',
            object(
              'CustomResourceDefinitionVersion describes a version for CRD.',
              {
                name: string('name is the version name, e.g. “v1”, “v2beta1”, etc.'),
                served: boolean('served is a flag enabling/disabling this version from being served via REST APIs'),
                storage: boolean(
                  'storage indicates this version should be used when persisting custom resources to storage. There must be exactly one version with storage=true.',
                ),
                deprecated: boolean('deprecated indicates this version of the custom resource API is deprecated.'),
                schema: opaque(
                  'schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.',
                ),
                subresources: opaque('subresources specify what subresources this version of the defined custom resource have.'),
                additionalPrinterColumns: array(
                  'additionalPrinterColumns specifies additional columns returned in Table output.',
                  opaque('CustomResourceColumnDefinition'),
                ),
              },
              { required: ['name', 'served', 'storage'] },
            ),
          ),
          conversion: opaque('conversion defines conversion settings for the CRD.'),
          preserveUnknownFields: boolean(
            'preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage.',
          ),
        },
        { required: ['group', 'names', 'scope', 'versions'] },
      ),
      status: object('status indicates the actual state of the CustomResourceDefinition', {
        conditions: conditions('CustomResourceDefinition'),
        acceptedNames: opaque('acceptedNames are the names that are actually being used to serve discovery.'),
        storedVersions: array('storedVersions lists all versions of CustomResources that were ever persisted.', {
          type: 'string',
          default: '',
        }),
      }),
    },
  },
  'authorization.k8s.io/SelfSubjectAccessReview': {
    description: 'SelfSubjectAccessReview checks whether or the current user can perform an action.',
    properties: {
      spec: object('Spec holds information about the request being evaluated.', {
        resourceAttributes: object('ResourceAuthorizationAttributes describes information for a resource access request', {
          namespace: string('Namespace is the namespace of the action being requested.'),
          verb: string('Verb is a kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy.'),
          group: string('Group is the API Group of the Resource.'),
          version: string('Version is the API Version of the Resource.'),
          resource: string('Resource is one of the existing resource types.'),
          subresource: string('Subresource is one of the existing resource types.'),
          name: string('Name is the name of the resource being requested for a "get" or deleted for a "delete".'),
        }),
        nonResourceAttributes: object('NonResourceAttributes describes information for a non-resource access request', {
          path: string('Path is the URL path of the request'),
          verb: string('Verb is the standard HTTP verb'),
        }),
      }),
      status: object(
        'Status is filled in by the server and indicates whether the request is allowed or not',
        {
          allowed: boolean('Allowed is required. True if the action would be allowed, false otherwise.'),
          denied: boolean('Denied is optional. True if the action would be denied, otherwise false.'),
          reason: string('Reason is optional. It indicates why a request was allowed or denied.'),
        },
        { required: ['allowed'] },
      ),
    },
  },
  'rbac.authorization.k8s.io/ClusterRole': {
    description:
      'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    properties: {
      rules: array('Rules holds all the PolicyRules for this ClusterRole', rule),
      aggregationRule: opaque('AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.'),
    },
  },
  'rbac.authorization.k8s.io/Role': {
    description: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
    properties: { rules: array('Rules holds all the PolicyRules for this Role', rule) },
  },
  'rbac.authorization.k8s.io/ClusterRoleBinding': {
    description: 'ClusterRoleBinding references a ClusterRole, but not contain it.',
    properties: bindingFields,
  },
  'rbac.authorization.k8s.io/RoleBinding': {
    description: 'RoleBinding references a role, but does not contain it.',
    properties: bindingFields,
  },
};

/** builtinKindSchema returns the description and fields (after apiVersion/kind/metadata) of a built-in kind. */
export function builtinKindSchema(group: string, kind: string): { description: string; properties: Record<string, JSONSchemaProps> } {
  return (
    kinds[`${group}/${kind}`] ?? {
      description: `${kind} is a built-in kind the sandbox serves.`,
      properties: { spec: opaque('Spec.'), status: opaque('Status.') },
    }
  );
}

/** The Java-style package a built-in group's schemas are named under (io.k8s.api.<package>.<version>.<Kind>). */
export function builtinSchemaPackage(group: string): string {
  if (group === '') return 'io.k8s.api.core';
  if (group === 'apiextensions.k8s.io') return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
  return `io.k8s.api.${group.replace(/\.k8s\.io$/, '').split('.')[0] ?? group}`;
}

/**
 * The cloud provider's service controller, as far as clients see it: a Service of type
 * LoadBalancer gets `status.loadBalancer.ingress` (an address on the loopback range, as kind's
 * cloud-provider-kind hands out local addresses). Helm's `--wait` (helm 3's ready checker and
 * helm 4's kstatus) waits for exactly this before it calls a LoadBalancer Service ready — the
 * Gloo Edge chart's gateway-proxy Service is one.
 */
import type { InternalApi, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { isDeleting, isResource, objectKey, splitKey } from './resources.js';

const servicesResource = { group: '', version: 'v1', resource: 'services' };

interface ServiceShape {
  spec?: { type?: string };
  status?: { loadBalancer?: { ingress?: unknown[] } };
}

function needsAddress(service: ServiceShape): boolean {
  return service.spec?.type === 'LoadBalancer' && !(service.status?.loadBalancer?.ingress?.length ?? 0);
}

/** ServiceLoadBalancerController gives each LoadBalancer Service an ingress address. */
export class ServiceLoadBalancerController extends QueueController {
  readonly name = 'service-lb-controller';
  private next = 1;

  constructor(api: InternalApi) {
    super(api);
  }

  protected onEvent(event: StoredEvent): void {
    if (!isResource(event.groupResource, servicesResource) || event.type === 'DELETED') return;
    if (needsAddress(event.object as ServiceShape)) this.queue.enqueue(objectKey(event.object));
  }

  protected resync(): void {
    for (const service of this.api.list(servicesResource))
      if (needsAddress(service as ServiceShape)) this.queue.enqueue(objectKey(service));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const service = this.api.get(servicesResource, namespace, name);
    if (!service || isDeleting(service) || !needsAddress(service as ServiceShape)) return;
    const ip = `127.0.1.${this.next}`;
    this.next = (this.next % 254) + 1;
    this.api.updateStatus(servicesResource, {
      ...service,
      status: { ...(service.status ?? {}), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } },
    });
  }
}

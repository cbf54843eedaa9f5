/** The rehearsed procedures, by the product name `npm run demo` takes. */
import type { RehearsedProduct } from '../charts/product-charts.js';
import { glooEdge } from './gloo-edge.js';
import { glooMesh } from './gloo-mesh.js';
import { nginxServiceMesh } from './nginx-service-mesh.js';
import type { Procedure } from './procedure.js';

/** procedures maps each product to its procedure. */
export const procedures: Readonly<Record<RehearsedProduct, Procedure>> = {
  'gloo-mesh': glooMesh,
  'gloo-edge': glooEdge,
  'nginx-service-mesh': nginxServiceMesh,
};

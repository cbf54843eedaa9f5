/**
 * Walks a paginated list (limit/continue) one page at a time. Pages are fetched only as the
 * consumer asks for them and never accumulated, so memory stays bounded by the page size however
 * many objects the cluster holds (kubectl's pager does the same with 500-item chunks).
 */
import type { ListPage } from './ports.js';

/** defaultPageSize matches kubectl's --chunk-size default. */
export const defaultPageSize = 500;

/** FetchPage fetches the page after `continueToken` (undefined for the first page). */
export type FetchPage<T> = (continueToken: string | undefined) => Promise<ListPage<T>>;

/** paginate yields each page in order until the server returns no continue token. */
export async function* paginate<T>(fetchPage: FetchPage<T>): AsyncGenerator<ListPage<T>, void, undefined> {
  let continueToken: string | undefined;
  do {
    const page = await fetchPage(continueToken);
    yield page;
    // An empty string is how the API server says "no more pages".
    continueToken = page.continueToken === '' ? undefined : page.continueToken;
  } while (continueToken !== undefined);
}

/** listItems yields every item of every page, one at a time. */
export async function* listItems<T>(fetchPage: FetchPage<T>): AsyncGenerator<T, void, undefined> {
  for await (const page of paginate(fetchPage)) yield* page.items;
}

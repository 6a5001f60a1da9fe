// A page of any list, as Catena's `_CursorPage[...]` (fastapi-pagination's CursorPage): items, total and
// four cursors. Catena requires `total` on its telematics pages and has none on its integration pages;
// fleetgate counts every list, so every page carries it (an added field where Catena has none).
import { z } from 'zod';
import { PageQuery } from './query.ts';

export { PageQuery };

const cursor = (description: string) => z.string().nullable().describe(description);

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      total: z.number().int().min(0).describe('Every item matching the filter (on every page of the list alike).'),
      current_page: cursor('Cursor to refetch the current page (on a first page: a cursor from the start).'),
      current_page_backwards: cursor(
        'Cursor to refetch the current page starting from the last item, reading backwards (a page read backwards: the cursor that read it).',
      ),
      previous_page: cursor('Cursor for the previous page; null when there is none before this one.'),
      next_page: cursor('Cursor for the next page; null when there is none after this one.'),
    })
    .meta({ id });

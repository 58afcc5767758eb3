import type { Event } from '../../api/schemas/cluster.js';
import { age } from './age.js';
import { column } from './column.js';
import type { Printer } from './types.js';

/**
 * LAST SEEN TYPE REASON OBJECT MESSAGE, and with `-o wide` SUBOBJECT SOURCE FIRST SEEN COUNT NAME
 * (the wide ones sit between the others, as kube-apiserver orders them):
 *
 *   ['5s', 'Normal', 'Scheduled', 'pod/web-1', '', 'default-scheduler',
 *    'Successfully assigned default/web-1 to node-1', '5s', 1, 'web-1.17c3a1b2d4e5f6a7']
 */
export const eventPrinter: Printer<Event> = {
  columns: [
    column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'Type of this event (Normal, Warning).'),
    column('Reason', "A short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'The object that this event is about.'),
    column('Subobject', 'The part of the object the event is about, such as a container.', { wide: true }),
    column('Source', 'The component reporting this event.', { wide: true }),
    column('Message', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'The time at which the event was first recorded.', { wide: true }),
    column('Count', 'The number of times this event has occurred.', { wide: true }),
    column('Name', 'Name must be unique within a namespace.', { wide: true, format: 'name' }),
  ],

  cells(ev, now) {
    // Events of the events.k8s.io shape carry eventTime and a series instead of the core timestamps.
    const firstSeen = ev.firstTimestamp ? age(ev.firstTimestamp, now) : age(ev.eventTime, now);
    let lastSeen = ev.lastTimestamp ? age(ev.lastTimestamp, now) : firstSeen;
    let count = ev.count ?? 0;
    const series = ev.series;
    if (series) {
      lastSeen = age(typeof series.lastObservedTime === 'string' ? series.lastObservedTime : undefined, now);
      count = typeof series.count === 'number' ? series.count : 0;
    } else if (count === 0) {
      count = 1; // a singleton event of the newer API has no count
    }
    const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
    const name = ev.involvedObject?.name;
    return [
      lastSeen,
      ev.type ?? '',
      ev.reason ?? '',
      name ? `${kind}/${name}` : kind,
      ev.involvedObject?.fieldPath ?? '',
      source(ev),
      (ev.message ?? '').trim(),
      firstSeen,
      count,
      ev.metadata?.name ?? '',
    ];
  },
};

/** "component, host", falling back to the reporting controller and instance; no comma without a host. */
function source(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

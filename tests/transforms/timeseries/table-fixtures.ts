import { inputOf } from '../transform-input.ts';

/**
 * Sensor readings in three tables: two CSV (one with a blank humidity, a quoted station, and
 * a constant `level` column) and one NDJSON (a null temperature, a boolean flag), plus a note
 * that is not a table.
 */
export function sensorTables() {
  return [
    inputOf('sensors/a.csv', 'time,temp,humidity,station\n1,10,0.5,north\n2,20,,north\n3,30,0.7,"north, hill"\n', { meta: { site: 'a' } }),
    inputOf('sensors/b.csv', 'time,temp,humidity,station,level\r\n4,40,0.9,south,5\r\n5,50,0.1,south,5\r\n'),
    inputOf('sensors/c.ndjson', '{"time":6,"temp":60,"station":"east","flag":true}\n\n{"time":7,"temp":null,"station":"east"}\n', { annotations: { label: 'calm' } }),
    inputOf('sensors/readme.txt', 'Readings every minute.\n'),
  ];
}

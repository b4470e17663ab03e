import { tableNormalization } from './normalize-tables.ts';

/**
 * `timeseries.minmax`: every chosen column to [0, 1] by x' = (x − min) / scale, where
 * scale = max − min, fitted over all tables (see normalize-tables.ts). A constant column has
 * scale 1 (as scikit-learn's MinMaxScaler), so it becomes all 0 instead of dividing by zero.
 * Statistics per column: `{ count, min, max, scale }`.
 */
export const timeseriesMinmax = tableNormalization({
  name: 'timeseries.minmax',
  description: 'Scale numeric columns of CSV/NDJSON tables to [0, 1] with the min and max fitted over all tables.',
  scaler: {
    fit: ({ count, min, max }) => ({ count, min, max, scale: max - min || 1 }),
    apply: (stats, value) => (value - (stats.min as number)) / (stats.scale as number),
  },
});

import { tableNormalization } from './normalize-tables.ts';

/**
 * `timeseries.standardize`: every chosen column to mean 0 and standard deviation 1 by
 * x' = (x − mean) / scale, where scale is the population standard deviation (divided by n, as
 * scikit-learn's StandardScaler) fitted over all tables (see normalize-tables.ts). A constant
 * column has scale 1, so it becomes all 0 instead of dividing by zero.
 * Statistics per column: `{ count, mean, std, scale }`.
 */
export const timeseriesStandardize = tableNormalization({
  name: 'timeseries.standardize',
  description: 'Standardize numeric columns of CSV/NDJSON tables to mean 0, standard deviation 1, fitted over all tables.',
  scaler: {
    fit: ({ count, mean, std }) => ({ count, mean, std, scale: std || 1 }),
    apply: (stats, value) => (value - (stats.mean as number)) / (stats.scale as number),
  },
});
